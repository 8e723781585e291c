import { foldHomoglyph, isInvisible } from '../scanners/unicode-tables.js';

/**
 * The shadow copy the injection detector reads: lower-case, NFKC, invisible characters removed, runs of
 * spaces collapsed (newlines kept as one `\n`, because fake turn markers live at line starts), and leetspeak
 * or look-alike letters folded to Latin when they sit next to a Latin letter (`1gn0re` -> `ignore`, a
 * Cyrillic `о` inside `ignоre` -> `o`), so that a digit or a foreign letter standing alone is left alone.
 *
 * `offsets[i]` is the UTF-16 index in the original text of the character that produced shadow character
 * `i`, so a rule match on the shadow copy maps back to original offsets (the `Finding` contract).
 */
export interface NormalisedText {
  text: string;
  offsets: Int32Array;
  /** How many invisible characters (zero-width, bidi controls, tag characters, soft hyphens) were dropped. */
  invisibleCount: number;
}

const leetFolds: Record<string, string> = {
  // Not `|` or `!`: they end words and open chat-template tokens (`<|im_start|>`) far more often.
  '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', '$': 's',
};

function isLatinLetter(character: string | undefined): boolean {
  return character !== undefined && character >= 'a' && character <= 'z';
}

/** Builds the shadow copy; linear in the input length. */
export function normaliseText(original: string): NormalisedText {
  // First pass: per code point NFKC + lower-case, invisible characters dropped, whitespace collapsed.
  const characters: string[] = [];
  const sources: number[] = [];
  let invisibleCount = 0;
  let pendingSpace = '';
  let pendingSource = 0;
  for (let index = 0; index < original.length; ) {
    const codePoint = original.codePointAt(index)!;
    const width = codePoint > 0xffff ? 2 : 1;
    const start = index;
    index += width;
    if (isInvisible(codePoint)) {
      invisibleCount += 1;
      continue;
    }
    // ASCII fast path: NFKC never changes these.
    const raw = codePoint < 0x80 ? String.fromCharCode(codePoint) : String.fromCodePoint(codePoint).normalize('NFKC');
    const folded = raw.toLowerCase();
    for (const character of folded) {
      // ASCII whitespace is space and \t..\r; the regex only runs for the rare non-ASCII character.
      if (codePoint < 0x80 ? codePoint === 0x20 || (codePoint >= 0x09 && codePoint <= 0x0d) : /\s/.test(character)) {
        if (pendingSpace !== '\n') pendingSpace = character === '\n' || character === '\r' ? '\n' : ' ';
        pendingSource = start;
        continue;
      }
      if (pendingSpace !== '' && characters.length > 0) {
        characters.push(pendingSpace);
        sources.push(pendingSource);
      }
      pendingSpace = '';
      // One entry per UTF-16 unit, so shadow indexes and `offsets` stay aligned for astral characters.
      for (let unit = 0; unit < character.length; unit += 1) {
        characters.push(character[unit]);
        sources.push(start + Math.min(unit, width - 1));
      }
    }
  }
  // Second pass: fold leetspeak and look-alikes only where a neighbour is a Latin letter (so `2024`, `$5`
  // and Russian words stay as they are).
  for (let index = 0; index < characters.length; index += 1) {
    // Look-alikes come from the scanners' tables (lower case here: the text was lower-cased above).
    const fold = leetFolds[characters[index]] ?? foldHomoglyph(characters[index].charCodeAt(0));
    if (fold !== undefined && (isLatinLetter(characters[index - 1]) || isLatinLetter(characters[index + 1]))) {
      characters[index] = fold;
    }
  }
  return { text: characters.join(''), offsets: Int32Array.from(sources), invisibleCount };
}
