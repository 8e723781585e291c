import type { LimitStatus } from './rate-limiter.js';

/**
 * The `x-ratelimit-*` headers OpenAI sends, for each rule name (`requests`, `tokens`):
 * `x-ratelimit-limit-<name>`, `x-ratelimit-remaining-<name>` and `x-ratelimit-reset-<name>` (a duration such
 * as `1s`, `6m0s`, `20ms`). When several rules share a name (a key's and its team's token limits), the
 * tightest is reported: the one with the least remaining, then the longest reset, then the smallest limit.
 */
export function rateLimitHeaders(statuses: ReadonlyArray<LimitStatus>): Record<string, string> {
  const tightest = new Map<string, LimitStatus>();
  for (const status of statuses) {
    const current = tightest.get(status.name);
    if (current === undefined || isTighter(status, current)) tightest.set(status.name, status);
  }
  const headers: Record<string, string> = {};
  for (const [name, status] of tightest) {
    const names = headerNamesOf(name);
    headers[names.limit] = String(status.limit);
    headers[names.remaining] = String(status.remaining);
    headers[names.reset] = formatResetDuration(status.resetMs);
  }
  return headers;
}

// Rule names are few (`requests`, `tokens`): their header names are built once, not on every response.
const headerNames = new Map<string, { limit: string; remaining: string; reset: string }>();

function headerNamesOf(name: string): { limit: string; remaining: string; reset: string } {
  let names = headerNames.get(name);
  if (names === undefined) {
    names = { limit: `x-ratelimit-limit-${name}`, remaining: `x-ratelimit-remaining-${name}`, reset: `x-ratelimit-reset-${name}` };
    if (headerNames.size < 64) headerNames.set(name, names);
  }
  return names;
}

function isTighter(candidate: LimitStatus, current: LimitStatus): boolean {
  if (candidate.remaining !== current.remaining) return candidate.remaining < current.remaining;
  if (candidate.resetMs !== current.resetMs) return candidate.resetMs > current.resetMs;
  return candidate.limit < current.limit;
}

/**
 * A duration the way OpenAI writes it (Go's `time.Duration` format, to the millisecond): `0s`, `20ms`,
 * `1s`, `1.5s`, `6m0s`, `1h2m3.25s`.
 */
export function formatResetDuration(milliseconds: number): string {
  const total = Math.max(0, Math.ceil(milliseconds));
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const secondsPart = total % 60_000;
  // 1500 -> "1.5", 3000 -> "3": Go drops trailing zeros of the fraction.
  const seconds = `${Math.floor(secondsPart / 1000)}${secondsPart % 1000 === 0 ? '' : `.${String(secondsPart % 1000).padStart(3, '0').replace(/0+$/, '')}`}`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}
