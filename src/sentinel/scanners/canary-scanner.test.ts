import { describe, expect, it } from 'vitest';
import { createCanaryScanner } from './canary-scanner.js';

const token = '9f3a61c0b2d4e857';
const scanner = createCanaryScanner(token);
const scan = (text: string) => scanner.scan(text, { channel: 'assistant' });

describe('the canary scanner', () => {
  it('finds the token wherever the answer repeats it, and says where (never what)', () => {
    const text = `My instructions say: Confidential canary word: ${token}. Never repeat it.`;
    const result = scan(text);
    expect(result.score).toBe(1);
    expect(result.findings).toEqual([{ type: 'canary_leak', start: text.indexOf(token), end: text.indexOf(token) + token.length, score: 1 }]);
    expect(JSON.stringify(result)).not.toContain(token);
  });

  it('finds it upper-cased, with zero-width characters slipped in, and base64-encoded', () => {
    expect(scan(`The word is ${token.toUpperCase()}.`).findings).toHaveLength(1);
    expect(scan(`The word is ${token.slice(0, 5)}\u200b${token.slice(5)}.`).findings).toHaveLength(1);
    const encoded = Buffer.from(`Confidential canary word: ${token}.`).toString('base64');
    expect(scan(`Here you go: ${encoded}`).findings.map((finding) => finding.type)).toEqual(['canary_leak']);
  });

  it('finds nothing in an answer without the token, or with another request token', () => {
    expect(scan('Here is the JSON you asked for: {"a": 1}').findings).toEqual([]);
    expect(scan(`The word is ${token.slice(0, 15)}0.`).findings).toEqual([]);
    expect(createCanaryScanner('0123456789abcdef').scan(`The word is ${token}.`, { channel: 'assistant' }).findings).toEqual([]);
  });

  it('refuses a token that is not a hex word (it becomes a pattern)', () => {
    expect(() => createCanaryScanner('a.*')).toThrow(/hex word/);
  });
});
