/**
 * The shadow copy every content scanner matches against: NFKC, invisible characters removed, Latin
 * confusables folded, plus decoded views of embedded base64 / hex / url-encoded / Unicode-tag runs.
 * An offset map turns a match on the shadow copy back into a span of the ORIGINAL text, so findings and
 * masking always point at what the client sent.
 */
import { foldHomoglyph, isInvisible, isTagCharacter } from './unicode-tables.js';
import { findEncodedRuns, type EncodedRun } from './encoded-runs.js';

/** A decoded view of an encoded run; matches inside it map to the whole run's span in the original. */
export interface DecodedSegment extends EncodedRun {
  /** Span of the encoded run in the ORIGINAL text. */
  originalStart: number;
  originalEnd: number;
}

/** A run of invisible characters, in original offsets. */
export interface InvisibleRun {
  start: number;
  end: number;
  /** True when the run contains Unicode tag characters (U+E0000-E007F), the "ASCII smuggling" carrier. */
  tags: boolean;
}

export interface NormalisedText {
  /** The shadow copy to match against. */
  text: string;
  /** Maps a span [start, end) of `text` to the span of the original text it came from. */
  toOriginal(start: number, end: number): [number, number];
  invisibleRuns: InvisibleRun[];
  /** Original spans of characters that were folded from a Cyrillic / Greek lookalike. */
  homoglyphOffsets: number[];
  decoded: DecodedSegment[];
}

const plainAscii = /^[\x09\x0a\x0d\x20-\x7e]*$/;

let memoInput: string | undefined;
let memoOutput: NormalisedText | undefined;

/**
 * Normalises `text` for scanning. The last result is memoised because the default pipeline runs
 * several scanners over the same string one after another; scanning twice must not normalise twice.
 */
export function normaliseForScan(text: string): NormalisedText {
  if (text === memoInput && memoOutput) return memoOutput;
  const output = plainAscii.test(text) ? normaliseAscii(text) : normaliseUnicode(text);
  memoInput = text;
  memoOutput = output;
  return output;
}

const identity = (start: number, end: number): [number, number] => [start, end];

/** The common case: printable ASCII needs no map; only encoded runs can hide anything. */
function normaliseAscii(text: string): NormalisedText {
  const decoded = findEncodedRuns(text).map((run) => ({ ...run, originalStart: run.start, originalEnd: run.end }));
  return { text, toOriginal: identity, invisibleRuns: [], homoglyphOffsets: [], decoded };
}

function normaliseUnicode(original: string): NormalisedText {
  const units: string[] = [];
  // originStart[i] / originEnd[i]: the original span that produced shadow code unit i.
  const originStart: number[] = [];
  const originEnd: number[] = [];
  const invisibleRuns: InvisibleRun[] = [];
  const homoglyphOffsets: number[] = [];
  const tagRuns: { start: number; end: number; text: string }[] = [];
  let tagText = '';
  let tagStart = -1;

  for (let index = 0; index < original.length; ) {
    const codePoint = original.codePointAt(index)!;
    const width = codePoint > 0xffff ? 2 : 1;
    const next = index + width;
    if (isInvisible(codePoint)) {
      const isTag = isTagCharacter(codePoint);
      const last = invisibleRuns[invisibleRuns.length - 1];
      if (last && last.end === index) {
        last.end = next;
        last.tags ||= isTag;
      } else invisibleRuns.push({ start: index, end: next, tags: isTag });
      if (isTag) {
        // Tags U+E0020-E007E shadow printable ASCII: decode them so hidden instructions get scanned.
        if (tagStart < 0) tagStart = index;
        if (codePoint >= 0xe0020 && codePoint <= 0xe007e) tagText += String.fromCharCode(codePoint - 0xe0000);
      }
      index = next;
      continue;
    }
    if (tagStart >= 0) {
      if (tagText) tagRuns.push({ start: tagStart, end: index, text: tagText });
      tagStart = -1;
      tagText = '';
    }
    const character = original.slice(index, next);
    const folded = foldHomoglyph(codePoint);
    let replacement: string;
    if (folded !== undefined) {
      replacement = folded;
      homoglyphOffsets.push(index);
    } else replacement = codePoint < 0x80 ? character : character.normalize('NFKC');
    for (let unit = 0; unit < replacement.length; unit += 1) {
      units.push(replacement[unit]);
      originStart.push(index);
      originEnd.push(next);
    }
    index = next;
  }
  if (tagStart >= 0 && tagText) tagRuns.push({ start: tagStart, end: original.length, text: tagText });

  const text = units.join('');
  const toOriginal = (start: number, end: number): [number, number] => {
    if (text.length === 0) return [0, original.length];
    const first = Math.min(Math.max(start, 0), text.length - 1);
    const last = Math.min(Math.max(end - 1, first), text.length - 1);
    return [originStart[first], originEnd[last]];
  };
  const decoded: DecodedSegment[] = findEncodedRuns(text).map((run) => {
    const [originalStart, originalEnd] = toOriginal(run.start, run.end);
    return { ...run, originalStart, originalEnd };
  });
  for (const run of tagRuns) {
    decoded.push({ encoding: 'unicode_tags', start: run.start, end: run.end, text: run.text, originalStart: run.start, originalEnd: run.end });
  }
  return { text, toOriginal, invisibleRuns, homoglyphOffsets, decoded };
}
