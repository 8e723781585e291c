import { isIPv6 } from 'node:net';
import { isValidIban, passesLuhn } from '../../kit/pii-validators.js';

/** What a mask replaced; the mask reads `[REDACTED:<kind>]`. */
export type RedactionKind = 'EMAIL' | 'PHONE' | 'CARD' | 'IBAN' | 'IP' | 'SECRET';

const mask = (kind: RedactionKind) => `[REDACTED:${kind}]`;

// Known credential shapes: OpenAI / Anthropic / Switchyard keys, AWS access keys, GitHub, Slack, Google API
// keys, JWTs, and bearer tokens. A generic rule below catches long random-looking tokens.
const knownSecret =
  /\b(?:sk-[A-Za-z0-9_-]{16,}|(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|xox[abposr]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})/g;
const bearer = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{12,}/gi;
// `password: hunter2`, `api_key=...`, `"secret": "..."`: the value after a credential-like name.
const namedSecret = /\b((?:api[_-]?key|secret|token|password|passwd|pwd|access[_-]?key|private[_-]?key)\s*["']?\s*[:=]\s*["']?)([^\s"',;]{4,})/gi;
const longToken = /[A-Za-z0-9_\-+/]{32,}={0,2}/g;
const email = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const iban = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/g;
// 13 to 19 digits, optionally in groups split by single spaces or dashes.
const cardCandidate = /\b\d(?:[ -]?\d){12,18}\b/g;
const ipv4 = /\b(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\b/g;
const ipv6Candidate = /(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])/g;
// International or national numbers: an optional +, then 8 to 15 digits with spaces, dots, dashes, brackets.
const phoneCandidate = /(?<![\w+])(?:\+|00)?\d[\d ().-]{6,18}\d(?!\w)/g;

// Random-looking: letters and digits mixed, and many distinct characters (a word or a number is not).
function looksRandom(token: string): boolean {
  if (!/[0-9]/.test(token) || !/[A-Za-z]/.test(token)) return false;
  const counts = new Map<string, number>();
  for (const character of token) counts.set(character, (counts.get(character) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const share = count / token.length;
    entropy -= share * Math.log2(share);
  }
  return entropy >= 3.5;
}

/**
 * Masks personal data and credentials in free text: e-mail addresses, phone numbers, payment card numbers
 * (Luhn-checked), IBANs (mod-97-checked), IPv4 and IPv6 addresses, API keys, tokens and other secrets. The
 * checks keep false positives down (an order number that fails Luhn stays); the masks say what was there.
 */
export function redactText(text: string): string {
  if (text.length === 0) return text;
  let result = text.replace(knownSecret, mask('SECRET'));
  result = result.replace(bearer, (_match, scheme: string) => `${scheme} ${mask('SECRET')}`);
  result = result.replace(namedSecret, (_match, name: string) => `${name}${mask('SECRET')}`);
  result = result.replace(email, mask('EMAIL'));
  result = result.replace(iban, (match) => (isValidIban(match) ? mask('IBAN') : match));
  result = result.replace(cardCandidate, (match) => (passesLuhn(match.replace(/[ -]/g, '')) ? mask('CARD') : match));
  result = result.replace(ipv4, mask('IP'));
  result = result.replace(ipv6Candidate, (match) => (isIPv6(match) ? mask('IP') : match));
  result = result.replace(phoneCandidate, (match) => {
    const digits = match.replace(/\D/g, '').length;
    // A date (2026-11-27) or a plain count has too few digits or no phone-like shape.
    return digits >= 8 && digits <= 15 && !/^\d{4}-\d{2}-\d{2}$/.test(match) ? mask('PHONE') : match;
  });
  result = result.replace(longToken, (match) => (looksRandom(match) ? mask('SECRET') : match));
  return result;
}

/** A copy of a JSON value with every string (not object keys) passed through {@link redactText}. */
export function redactJson(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactJson);
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value)) copy[name] = redactJson(item);
    return copy;
  }
  return value;
}
