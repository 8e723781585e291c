/**
 * Key-shaped strings: OpenAI / Anthropic / Switchyard `sk-...` keys, Google `AIza...` keys, bearer tokens.
 * Error messages pass some provider text on to clients; this is the last guard that no credential leaves.
 */
const secretPattern = /\b(sk-[A-Za-z0-9_-]{6,}|AIza[0-9A-Za-z_-]{20,}|Bearer\s+[A-Za-z0-9._~+/-]{8,})/g;

/** Replaces anything key-shaped in `text` with `[redacted]`. */
export function redactSecrets(text: string): string {
  return text.replace(secretPattern, '[redacted]');
}
