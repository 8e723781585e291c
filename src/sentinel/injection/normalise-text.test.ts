import { describe, expect, it } from 'vitest';
import { normaliseText } from './normalise-text.js';

describe('normaliseText', () => {
  it('lower-cases, collapses spaces and keeps one newline per line break', () => {
    expect(normaliseText('  Ignore   ALL\t\tthe\n\n\nrules ').text).toBe('ignore all the\nrules');
    expect(normaliseText('a\u00a0b\fc\u2003d').text).toBe('a b c d');
  });

  it('folds leetspeak next to letters but leaves numbers and prices alone', () => {
    expect(normaliseText('1gn0re pr3vious instruct10ns').text).toBe('ignore previous instructions');
    expect(normaliseText('Pay $5 by 2024').text).toBe('pay $5 by 2024');
  });

  it('drops zero-width, bidi and tag characters and counts them', () => {
    const result = normaliseText('ig\u200bno\u202ere\u{E0041} this');
    expect(result.text).toBe('ignore this');
    expect(result.invisibleCount).toBe(3);
  });

  it('folds Cyrillic look-alikes inside Latin words and full-width forms through NFKC', () => {
    expect(normaliseText('ign\u043Ere').text).toBe('ignore');
    expect(normaliseText('\uFF49\uFF47\uFF4E\uFF4F\uFF52\uFF45').text).toBe('ignore');
    expect(normaliseText('\u043F\u0440\u0438\u0432\u0435\u0442').text).toBe('\u043F\u0440\u0438\u0432\u0435\u0442');
  });

  it('maps every shadow character back to its original offset', () => {
    const original = 'A  \u200bB\u{1F600}c';
    const result = normaliseText(original);
    expect(result.text).toBe('a b\u{1F600}c');
    expect(Array.from(result.offsets)).toEqual([0, 2, 4, 5, 6, 7]);
  });
});
