/**
 * The canary scanner: finds one request's canary token in an answer. The token is a random hex word the
 * gateway put in that request's system prompt (see `guardrails/canary-token.ts`); an answer that contains it
 * repeats the system prompt, the usual sign of a prompt injection or a prompt-extraction attempt.
 *
 * It matches on the normalised shadow copy, so a token with zero-width characters, fullwidth digits or
 * look-alike letters slipped in, or one inside a base64 / hex / url-encoded run, is still found. Case is
 * ignored (a model may upper-case what it repeats).
 */
import { resultFromFindings, type Scanner } from '../scanner.js';
import { detectInOriginal } from './detection.js';

/** The finding type of a leaked canary. */
export const canaryLeakType = 'canary_leak';

/** A scanner for one token (built per request: the token is never reused). `token` must be hex. */
export function createCanaryScanner(token: string): Scanner {
  if (!/^[0-9a-f]{8,}$/i.test(token)) throw new Error('a canary token is a hex word of at least 8 characters');
  const pattern = new RegExp(token, 'gi');
  const detect = (text: string) => [...text.matchAll(pattern)].map((match) => ({ type: canaryLeakType, start: match.index, end: match.index + match[0].length, score: 1 }));
  return {
    id: 'canary',
    stage: 'output',
    scan(text) {
      if (text.length < token.length) return resultFromFindings([]);
      return resultFromFindings(detectInOriginal(text, detect));
    },
  };
}
