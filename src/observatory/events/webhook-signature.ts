import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries a webhook's signature. */
export const signatureHeader = 'switchyard-signature';

/**
 * Signs a webhook body like Stripe does: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. The
 * timestamp is signed with the body, so a captured delivery cannot be replayed later with a new time.
 */
export function signWebhook(secret: string, body: string, atMs: number): string {
  const timestamp = Math.floor(atMs / 1000);
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;
}

/** Why a signature was refused, or `ok`. */
export type SignatureVerdict = 'ok' | 'malformed' | 'mismatch' | 'expired';

/**
 * Checks a received signature header against the raw body (as received, before any JSON parsing): the
 * HMAC must match (compared in constant time) and the timestamp be within `toleranceSeconds` of `nowMs`.
 */
export function verifyWebhookSignature(secret: string, header: string | undefined, body: string, nowMs: number, toleranceSeconds = 300): SignatureVerdict {
  if (header === undefined) return 'malformed';
  const parts = new Map<string, string[]>();
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator <= 0) return 'malformed';
    const name = part.slice(0, separator).trim();
    parts.set(name, [...(parts.get(name) ?? []), part.slice(separator + 1).trim()]);
  }
  const timestamp = Number(parts.get('t')?.[0]);
  const signatures = parts.get('v1') ?? [];
  if (!Number.isInteger(timestamp) || signatures.length === 0) return 'malformed';
  const expected = Buffer.from(hmac(secret, timestamp, body), 'hex');
  // Several v1 values are allowed, so a sender can sign with an old and a new secret while rotating.
  const matches = signatures.some((signature) => {
    const given = Buffer.from(signature, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) return 'mismatch';
  return Math.abs(nowMs / 1000 - timestamp) > toleranceSeconds ? 'expired' : 'ok';
}

function hmac(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}
