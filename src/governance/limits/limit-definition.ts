import { z } from 'zod';
import { toInvalidRequestError } from '../../kit/validation-error.js';
import type { LimitRule } from './rate-limiter.js';

/** Whose traffic a limit counts: one key, or every key of a team, workspace or organisation together. */
export const limitScopes = ['key', 'team', 'workspace', 'organisation'] as const;
export type LimitScope = (typeof limitScopes)[number];

const shortestWindowMs = 1_000;
const longestWindowMs = 86_400_000;

/**
 * A stored rate limit, as the admin API accepts it and the store keeps it. `concurrent` limits count requests
 * in flight and have no window; `requests` and `tokens` limits count per window of a second to a day.
 * `algorithm` only matters for windowed limits.
 */
export const limitDefinitionSchema = z
  .strictObject({
    id: z.string().trim().min(1, 'must not be empty'),
    scope: z.enum(limitScopes, { error: `must be one of ${limitScopes.join(', ')}` }),
    scopeId: z.string().trim().min(1, 'must not be empty'),
    /** The requested model it applies to; absent: every model. */
    model: z.string().trim().min(1, 'must not be empty (leave it out to limit every model)').optional(),
    metric: z.enum(['requests', 'tokens', 'concurrent'], { error: 'must be one of requests, tokens, concurrent' }),
    limit: z
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .positive('must be at least 1')
      .max(Number.MAX_SAFE_INTEGER, 'is too large'),
    windowMs: z
      .number({ error: 'must be a number of milliseconds' })
      .int('must be a whole number of milliseconds')
      .min(shortestWindowMs, `must be at least ${shortestWindowMs} (one second)`)
      .max(longestWindowMs, `must be at most ${longestWindowMs} (one day)`)
      .optional(),
    algorithm: z.enum(['token-bucket', 'sliding-window'], { error: 'must be token-bucket or sliding-window' }).default('sliding-window'),
  })
  .superRefine((definition, context) => {
    if (definition.metric === 'concurrent' && definition.windowMs !== undefined) {
      context.addIssue({ code: 'custom', path: ['windowMs'], message: 'a concurrent limit counts requests in flight and takes no window' });
    }
    if (definition.metric !== 'concurrent' && definition.windowMs === undefined) {
      context.addIssue({ code: 'custom', path: ['windowMs'], message: `required for a ${definition.metric} limit (1000 to 86400000 ms)` });
    }
  });

/** A validated limit definition. */
export type LimitDefinition = z.output<typeof limitDefinitionSchema>;
/** What a caller may send: `algorithm` may be left out. */
export type LimitDefinitionInput = z.input<typeof limitDefinitionSchema>;

/** Validates a definition from outside; a problem is an `invalid_request` GatewayError naming the field. */
export function parseLimitDefinition(input: unknown): LimitDefinition {
  const parsed = limitDefinitionSchema.safeParse(input);
  if (!parsed.success) throw toInvalidRequestError(parsed.error);
  return parsed.data;
}

/** The request a set of limits is resolved for. */
export interface LimitSubject {
  keyId: string;
  teamId?: string;
  workspaceId: string;
  organisationId: string;
  /** The model the client asked for. */
  model: string;
}

/** A concurrency limit as it applies to one request: pass it to `RateLimiter.acquire`. */
export interface ConcurrencyLimit {
  counter: string;
  limit: number;
}

/** What {@link resolveLimitRules} returns. */
export interface ResolvedLimits {
  /** Windowed limits, for `RateLimiter.consume` (and `record`). */
  rules: LimitRule[];
  /** Concurrency limits, for `RateLimiter.acquire`. */
  concurrency: ConcurrencyLimit[];
}

/**
 * The limits that apply to one request. A definition applies when its scope id is the subject's (the key, its
 * team, workspace or organisation) and it names no model or the requested one.
 *
 * Counters are named from the scope, not from the key or the replica (`team:t_1:tokens:60000:sliding-window`),
 * so every key of a team and every replica share the team's counter. A model-specific limit has its own
 * counter (`...:model:gpt-4o:...`). Two definitions that would share a counter collapse to the tightest.
 */
export function resolveLimitRules(definitions: ReadonlyArray<LimitDefinition>, subject: LimitSubject): ResolvedLimits {
  const rules = new Map<string, LimitRule>();
  const concurrency = new Map<string, ConcurrencyLimit>();
  for (const definition of definitions) {
    if (!appliesTo(definition, subject)) continue;
    const owner = `${definition.scope}:${encodeURIComponent(definition.scopeId)}${
      definition.model === undefined ? '' : `:model:${encodeURIComponent(definition.model)}`
    }`;
    if (definition.metric === 'concurrent') {
      const counter = `${owner}:concurrent`;
      const existing = concurrency.get(counter);
      if (existing === undefined || definition.limit < existing.limit) concurrency.set(counter, { counter, limit: definition.limit });
      continue;
    }
    // The schema guarantees a window for these; a definition that bypassed it is skipped, not guessed at.
    if (definition.windowMs === undefined) continue;
    const counter = `${owner}:${definition.metric}:${definition.windowMs}:${definition.algorithm}`;
    const existing = rules.get(counter);
    if (existing !== undefined && existing.limit <= definition.limit) continue;
    rules.set(counter, {
      counter,
      name: definition.metric,
      metric: definition.metric,
      limit: definition.limit,
      windowMs: definition.windowMs,
      algorithm: definition.algorithm,
    });
  }
  return { rules: [...rules.values()], concurrency: [...concurrency.values()] };
}

function appliesTo(definition: LimitDefinition, subject: LimitSubject): boolean {
  if (definition.model !== undefined && definition.model !== subject.model) return false;
  switch (definition.scope) {
    case 'key':
      return definition.scopeId === subject.keyId;
    case 'team':
      return subject.teamId !== undefined && definition.scopeId === subject.teamId;
    case 'workspace':
      return definition.scopeId === subject.workspaceId;
    case 'organisation':
      return definition.scopeId === subject.organisationId;
  }
}
