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

// Common Cyrillic and Greek look-alikes of Latin letters (after lower-casing).
const homoglyphFolds: Record<string, string> = {
  'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j', 'ѕ': 's',
  'ԁ': 'd', 'һ': 'h', 'ӏ': 'l', 'ɡ': 'g', 'α': 'a', 'ε': 'e', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o',
  'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x',
};

function isInvisible(codePoint: number): boolean {
  return (
    codePoint === 0x00ad ||
    (codePoint >= 0x200b && codePoint <= 0x200f) ||
    (codePoint >= 0x202a && codePoint <= 0x202e) ||
    (codePoint >= 0x2060 && codePoint <= 0x2064) ||
    (codePoint >= 0x2066 && codePoint <= 0x2069) ||
    codePoint === 0xfeff ||
    (codePoint >= 0xe0000 && codePoint <= 0xe007f)
  );
}

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
    const fold = leetFolds[characters[index]] ?? homoglyphFolds[characters[index]];
    if (fold !== undefined && (isLatinLetter(characters[index - 1]) || isLatinLetter(characters[index + 1]))) {
      characters[index] = fold;
    }
  }
  return { text: characters.join(''), offsets: Int32Array.from(sources), invisibleCount };
}
