/**
 * Character tables for the normaliser and the invisible-text scanner: which code points are invisible
 * (zero-width, bidi controls, tag characters) and which Cyrillic / Greek letters are Latin lookalikes.
 */

/** Unicode tag characters U+E0000-E007F: invisible, and each one shadows an ASCII character. */
export function isTagCharacter(codePoint: number): boolean {
  return codePoint >= 0xe0000 && codePoint <= 0xe007f;
}

/**
 * Invisible or direction-changing characters that have no business in a prompt: zero-width space /
 * joiners, word joiner, invisible operators, BOM, soft hyphen, Mongolian vowel separator, bidi embeddings,
 * overrides and isolates (the "Trojan Source" set), variation selectors and tag characters.
 */
export function isInvisible(codePoint: number): boolean {
  if (codePoint < 0xad) return false;
  return (
    codePoint === 0xad ||
    codePoint === 0x034f ||
    codePoint === 0x061c ||
    codePoint === 0x115f ||
    codePoint === 0x1160 ||
    codePoint === 0x17b4 ||
    codePoint === 0x17b5 ||
    codePoint === 0x180e ||
    (codePoint >= 0x200b && codePoint <= 0x200f) ||
    (codePoint >= 0x202a && codePoint <= 0x202e) ||
    (codePoint >= 0x2060 && codePoint <= 0x2064) ||
    (codePoint >= 0x2066 && codePoint <= 0x206f) ||
    codePoint === 0x3164 ||
    (codePoint >= 0xfe00 && codePoint <= 0xfe0f) ||
    codePoint === 0xfeff ||
    codePoint === 0xffa0 ||
    (codePoint >= 0xfff9 && codePoint <= 0xfffb) ||
    (codePoint >= 0x1d173 && codePoint <= 0x1d17a) ||
    isTagCharacter(codePoint) ||
    (codePoint >= 0xe0100 && codePoint <= 0xe01ef)
  );
}

// Cyrillic and Greek letters whose glyphs are indistinguishable from Latin ones in common fonts
// (subset of Unicode's confusables.txt restricted to single letters that fold to one ASCII letter).
const homoglyphPairs: Record<string, string> = {
  // Cyrillic lower case
  а: 'a', в: 'b', е: 'e', ё: 'e', һ: 'h', і: 'i', ї: 'i', ј: 'j', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p',
  с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', ӏ: 'l',
  // Cyrillic upper case
  А: 'A', В: 'B', Е: 'E', Ё: 'E', З: '3', І: 'I', Ї: 'I', Ј: 'J', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P',
  С: 'C', Т: 'T', У: 'Y', Х: 'X', Ѕ: 'S', Ԁ: 'D', Ԛ: 'Q', Ԝ: 'W', Ү: 'Y', Ӏ: 'I',
  // Greek
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y',
  Χ: 'X', ο: 'o', ν: 'v', ι: 'i', κ: 'k', ρ: 'p', τ: 't', υ: 'u', χ: 'x', α: 'a', ε: 'e', ϲ: 'c', ϳ: 'j',
  // Latin script g (IPA)
  ɡ: 'g',
};

const homoglyphs = new Map<number, string>(
  Object.entries(homoglyphPairs).map(([from, to]) => [from.codePointAt(0)!, to]),
);

/** The ASCII letter a Cyrillic / Greek (or IPA) lookalike stands for, or undefined. */
export function foldHomoglyph(codePoint: number): string | undefined {
  return codePoint < 0x250 ? undefined : homoglyphs.get(codePoint);
}

/** True for ASCII letters (used to spot words mixing Latin with lookalikes). */
export function isAsciiLetter(codePoint: number): boolean {
  return (codePoint >= 0x41 && codePoint <= 0x5a) || (codePoint >= 0x61 && codePoint <= 0x7a);
}
