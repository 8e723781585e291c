import { describe, expect, it } from 'vitest';
import { estimateTextTokens } from '../../observatory/index.js';
import { roughTokenCount } from './rough-token-count.js';

describe('roughTokenCount', () => {
  it('errs high against the tokenizer on ordinary prose, so a reservation covers the prompt', () => {
    const text = 'The quick brown fox jumps over the lazy dog while the committee reviews the quarterly budget. '.repeat(20);
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: text }] };
    expect(roughTokenCount(body)).toBeGreaterThanOrEqual(estimateTextTokens(text));
    expect(roughTokenCount(body)).toBeLessThan(estimateTextTokens(text) * 2);
  });

  it('counts strings at any depth and ignores numbers, booleans and nulls', () => {
    expect(roughTokenCount({ a: 'abc', b: [{ c: 'def' }, 7, true, null], d: { e: { f: 'ghi' } } })).toBe(3);
    expect(roughTokenCount(undefined)).toBe(0);
  });
});
