import { describe, expect, it } from 'vitest';
import { restorePlaceholders } from '../scanners/masking.js';
import { PlaceholderStreamRestorer } from './placeholder-stream-restorer.js';

const vault = { '[EMAIL_1]': 'ada@example.com', '[CREDIT_CARD_1]': '4111 1111 1111 1111', '[EMAIL_2]': 'bob@example.org' };

// Every form restorePlaceholders accepts, next to near misses it must leave alone.
const answers = [
  'Write to [EMAIL_1] today.',
  'Card [CREDIT_CARD_1], mail EMAIL_2 and <email_1>.',
  'Escaped \\[EMAIL_1\\] and {Email 1} and **[EMAIL_2]**',
  'Not ours: [EMAIL_3], xEMAIL_1, EMAIL_12, [EMAIL_1x] and credit card 1.',
  '[EMAIL_1]',
  'ends with EMAIL_1',
  'ends with [EMAIL_2',
  'tight:[EMAIL_1][EMAIL_2](EMAIL_1)',
  'x_EMAIL 1 and a_b_c_d_EMAIL_1 and b_c_EMAIL_2 and word1 word2 EMAIL 1 and [ EMAIL_1 ] and EMAIL_1 \\]',
  'see [my EMAIL_1] or (credit card 1) or 12EMAIL_1 or _EMAIL_1.',
];

function streamed(text: string, cuts: number[]): string {
  const restorer = new PlaceholderStreamRestorer(vault);
  let output = '';
  let start = 0;
  for (const cut of [...cuts, text.length]) {
    output += restorer.push(text.slice(start, cut));
    start = cut;
  }
  return output + restorer.flush();
}

describe('PlaceholderStreamRestorer', () => {
  it('restores like the whole-text restorer for a split at every boundary', () => {
    for (const answer of answers) {
      const expected = restorePlaceholders(answer, vault);
      for (let cut = 0; cut <= answer.length; cut += 1) expect(streamed(answer, [cut]), `${answer} cut at ${cut}`).toBe(expected);
    }
  });

  it('restores like the whole-text restorer for every pair of boundaries and one character per chunk', () => {
    for (const answer of answers) {
      const expected = restorePlaceholders(answer, vault);
      for (let first = 0; first <= answer.length; first += 1) {
        for (let second = first; second <= answer.length; second += 1) expect(streamed(answer, [first, second])).toBe(expected);
      }
      expect(streamed(answer, [...answer].map((_, index) => index))).toBe(expected);
    }
  });

  it('holds back no more than the longest placeholder form', () => {
    const restorer = new PlaceholderStreamRestorer(vault);
    const released = restorer.push(`${'a '.repeat(100)}[CREDIT_CA`);
    expect(released.length).toBeGreaterThanOrEqual(200 - 30);
    expect(released + restorer.push('RD_1] ok') + restorer.flush()).toBe(`${'a '.repeat(100)}4111 1111 1111 1111 ok`);
  });

  it('passes text through untouched when the vault is empty', () => {
    const restorer = new PlaceholderStreamRestorer({});
    expect(restorer.push('[EMA')).toBe('[EMA');
    expect(restorer.flush()).toBe('');
  });

  it('escapes restored values for JSON tool-call arguments', () => {
    const restorer = new PlaceholderStreamRestorer({ '[PERSON_1]': 'Ann "Q" Lee' }, (value) => JSON.stringify(value).slice(1, -1));
    expect(restorer.push('{"to":"[PERS') + restorer.push('ON_1]"}') + restorer.flush()).toBe('{"to":"Ann \\"Q\\" Lee"}');
  });
});
