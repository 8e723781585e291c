/**
 * The invisible-text scanner: reports what the normaliser had to undo, because hiding text is itself a
 * signal. Finding types:
 * - `unicode_tags`: Unicode tag characters (U+E0000-E007F), the carrier of "ASCII smuggling" (score 1);
 * - `bidi_control`: bidirectional embeddings / overrides / isolates ("Trojan Source", 0.9);
 * - `invisible_text`: zero-width and other invisible characters inside text (0.7);
 * - `homoglyph`: a word mixing Latin letters with Cyrillic / Greek lookalikes (0.8), or made only of
 *   lookalikes in otherwise Latin text (0.6);
 * - `encoded_text`: a base64 / hex / url-encoded run that decodes to readable text (0.3, informational:
 *   the content scanners already look inside it).
 * Legitimate uses are skipped: emoji ZWJ sequences and variation selectors, tag-based subdivision flags,
 * a leading byte-order mark, and ZWNJ / ZWJ between letters of scripts that need them.
 */
import { resultFromFindings, type Finding, type Scanner } from '../scanner.js';
import { normaliseForScan, type InvisibleRun } from './normaliser.js';
import { foldHomoglyph, isAsciiLetter } from './unicode-tables.js';

const wordPattern = /[\p{L}\p{M}]+/gu;
const bidiCodePoint = (codePoint: number): boolean =>
  (codePoint >= 0x202a && codePoint <= 0x202e) || (codePoint >= 0x2066 && codePoint <= 0x2069) || codePoint === 0x200e || codePoint === 0x200f || codePoint === 0x061c;
const emojiJoiner = (codePoint: number): boolean => codePoint === 0x200d || codePoint === 0xfe0e || codePoint === 0xfe0f;

/** Creates the invisible-text scanner. */
export function createInvisibleTextScanner(stage: Scanner['stage'] = 'input'): Scanner {
  return {
    id: 'invisible-text',
    stage,
    scan(text) {
      if (text.length === 0) return resultFromFindings([]);
      const normalised = normaliseForScan(text);
      const findings: Finding[] = [];
      for (const run of normalised.invisibleRuns) {
        const finding = judgeInvisibleRun(text, run);
        if (finding) findings.push(finding);
      }
      if (normalised.homoglyphOffsets.length > 0) findings.push(...findHomoglyphWords(text));
      for (const segment of normalised.decoded) {
        if (segment.encoding === 'unicode_tags') continue;
        findings.push({ type: 'encoded_text', start: segment.originalStart, end: segment.originalEnd, score: 0.3 });
      }
      return resultFromFindings(findings.sort((left, right) => left.start - right.start));
    },
  };
}

function judgeInvisibleRun(text: string, run: InvisibleRun): Finding | undefined {
  const codePoints = [...text.slice(run.start, run.end)].map((character) => character.codePointAt(0)!);
  const before = run.start > 0 ? text.codePointAt(previousCodePointIndex(text, run.start))! : undefined;
  const after = run.end < text.length ? text.codePointAt(run.end) : undefined;
  if (run.tags) {
    // 🏴 + tag letters + cancel tag (U+E007F) is how subdivision flags (England, Scotland, Wales) are spelt.
    const isFlag = before === 0x1f3f4 && codePoints[codePoints.length - 1] === 0xe007f && codePoints.length <= 8;
    return isFlag ? undefined : { type: 'unicode_tags', start: run.start, end: run.end, score: 1 };
  }
  if (codePoints.some(bidiCodePoint)) return { type: 'bidi_control', start: run.start, end: run.end, score: 0.9 };
  if (codePoints.every(emojiJoiner) && before !== undefined && isPictographic(before)) return undefined;
  if (run.start === 0 && codePoints.length === 1 && codePoints[0] === 0xfeff) return undefined;
  const joinsScriptLetters =
    codePoints.every((codePoint) => codePoint === 0x200c || codePoint === 0x200d) &&
    before !== undefined &&
    after !== undefined &&
    before > 0x24f &&
    after > 0x24f;
  if (joinsScriptLetters) return undefined;
  return { type: 'invisible_text', start: run.start, end: run.end, score: 0.7 };
}

function previousCodePointIndex(text: string, index: number): number {
  const unit = text.charCodeAt(index - 1);
  return unit >= 0xdc00 && unit <= 0xdfff && index >= 2 ? index - 2 : index - 1;
}

function isPictographic(codePoint: number): boolean {
  return codePoint >= 0x2190 && /\p{Extended_Pictographic}|\p{Emoji_Modifier}/u.test(String.fromCodePoint(codePoint));
}

function findHomoglyphWords(text: string): Finding[] {
  const findings: Finding[] = [];
  const allLookalikeWords: { start: number; end: number }[] = [];
  let asciiLetters = 0;
  let otherLetters = 0;
  for (const match of text.matchAll(wordPattern)) {
    let latin = 0;
    let lookalike = 0;
    let other = 0;
    for (const character of match[0]) {
      const codePoint = character.codePointAt(0)!;
      if (isAsciiLetter(codePoint)) latin += 1;
      else if (foldHomoglyph(codePoint) !== undefined) lookalike += 1;
      else other += 1;
    }
    asciiLetters += latin;
    otherLetters += lookalike + other;
    const start = match.index;
    const end = start + match[0].length;
    if (lookalike > 0 && latin > 0) findings.push({ type: 'homoglyph', start, end, score: 0.8 });
    else if (lookalike > 0 && latin === 0 && other === 0) allLookalikeWords.push({ start, end });
  }
  // Words spelt only with lookalikes are normal in Russian or Greek text, suspicious in English text.
  if (asciiLetters > 4 * otherLetters) {
    for (const word of allLookalikeWords) findings.push({ type: 'homoglyph', start: word.start, end: word.end, score: 0.6 });
  }
  return findings;
}
