/**
 * Finds base64, hex and url-encoded runs whose decoded form is readable text, so scanners can look inside
 * them ("smuggled" payloads). Runs that decode to binary (hashes, git SHAs, random keys, images) are left
 * alone: they are not hiding text, and decoding them would only produce noise.
 */

export type Encoding = 'base64' | 'hex' | 'url' | 'unicode_tags';

export interface EncodedRun {
  encoding: Encoding;
  /** Span of the encoded run in the text that was searched (end exclusive). */
  start: number;
  end: number;
  /** The decoded text. */
  text: string;
}

const base64Run = /[A-Za-z0-9+/_-]{20,}={0,2}/g;
const hexRun = /\b(?:[0-9a-fA-F]{2}){10,}\b/g;
const token = /\S+/g;
const percentEscape = /%[0-9A-Fa-f]{2}/g;
const utf8 = new TextDecoder('utf-8', { fatal: true });
// Control characters other than tab / newline / carriage return mark a decode as binary.
const controlCharacters = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]/;
const wordCharacters = /[A-Za-z]{2}/;

/** Returns the readable decoded runs of `text`, in order of position. */
export function findEncodedRuns(text: string): EncodedRun[] {
  const runs: EncodedRun[] = [];
  if (text.length < 20) return runs;
  for (const match of text.matchAll(hexRun)) {
    const decoded = readable(Buffer.from(match[0], 'hex'));
    if (decoded) runs.push({ encoding: 'hex', start: match.index, end: match.index + match[0].length, text: decoded });
  }
  for (const match of text.matchAll(base64Run)) {
    const value = match[0];
    // Pure hex or pure digits is handled above; a long plain word (no digits, no case mix) is not base64.
    if (/^[0-9a-fA-F]+$/.test(value) || !/[0-9+/=_-]|[a-z][A-Z]|[A-Z][a-z]/.test(value)) continue;
    if (overlaps(runs, match.index)) continue;
    const decoded = readable(Buffer.from(value, 'base64'));
    if (decoded) runs.push({ encoding: 'base64', start: match.index, end: match.index + value.length, text: decoded });
  }
  if (text.includes('%')) {
    for (const match of text.matchAll(token)) {
      const value = match[0];
      const escapes = value.match(percentEscape);
      if (!escapes || escapes.length < 2) continue;
      const decoded = decodeUrl(value);
      if (decoded && decoded !== value) {
        runs.push({ encoding: 'url', start: match.index, end: match.index + value.length, text: decoded });
      }
    }
  }
  return runs.sort((left, right) => left.start - right.start);
}

function overlaps(runs: EncodedRun[], position: number): boolean {
  for (const run of runs) if (position >= run.start && position < run.end) return true;
  return false;
}

function readable(bytes: Buffer): string | undefined {
  if (bytes.length < 8) return undefined;
  let decoded: string;
  try {
    decoded = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  if (controlCharacters.test(decoded) || !wordCharacters.test(decoded)) return undefined;
  return decoded;
}

function decodeUrl(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
