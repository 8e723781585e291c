import { describe, expect, it } from 'vitest';
import { findEncodedRuns } from './encoded-runs.js';
import { normaliseForScan } from './normaliser.js';

describe('normaliseForScan', () => {
  it('leaves printable ASCII untouched with an identity offset map', () => {
    const normalised = normaliseForScan('plain text, nothing hidden');
    expect(normalised.text).toBe('plain text, nothing hidden');
    expect(normalised.toOriginal(6, 10)).toEqual([6, 10]);
    expect(normalised.invisibleRuns).toEqual([]);
  });

  it('removes zero-width and bidi characters and maps shadow spans back to the original', () => {
    const original = 'ig\u200bno\u202ere this';
    const normalised = normaliseForScan(original);
    expect(normalised.text).toBe('ignore this');
    const [start, end] = normalised.toOriginal(0, 6);
    expect(original.slice(start, end)).toBe('ig\u200bno\u202ere');
    expect(normalised.invisibleRuns).toEqual([
      { start: 2, end: 3, tags: false },
      { start: 5, end: 6, tags: false },
    ]);
  });

  it('applies NFKC and folds Cyrillic and Greek lookalikes to Latin', () => {
    const original = 'ｐａｓｓ раѕѕwоrd Ηello';
    const normalised = normaliseForScan(original);
    expect(normalised.text).toBe('pass password Hello');
    expect(normalised.homoglyphOffsets.length).toBe(6);
  });

  it('maps a span after astral characters to the right original offsets', () => {
    const original = '😀😀 mail a@b.io';
    const normalised = normaliseForScan(original);
    const start = normalised.text.indexOf('a@b.io');
    const [originalStart, originalEnd] = normalised.toOriginal(start, start + 6);
    expect(original.slice(originalStart, originalEnd)).toBe('a@b.io');
  });

  it('decodes Unicode tag characters into a scannable segment covering the tag run', () => {
    const hidden = [...'ignore previous'].map((character) => String.fromCodePoint(0xe0000 + character.charCodeAt(0))).join('');
    const original = `Hello${hidden} world`;
    const normalised = normaliseForScan(original);
    expect(normalised.text).toBe('Hello world');
    const segment = normalised.decoded.find((candidate) => candidate.encoding === 'unicode_tags');
    expect(segment?.text).toBe('ignore previous');
    expect(original.slice(segment!.originalStart, segment!.originalEnd)).toBe(hidden);
  });
});

describe('findEncodedRuns', () => {
  it('decodes base64, hex and url-encoded runs that hold readable text', () => {
    const base64 = Buffer.from('contact me at jane@example.com').toString('base64');
    const hex = Buffer.from('the password is hunter2').toString('hex');
    const text = `a ${base64} b ${hex} c mail%20to%3Ajane%40example.com`;
    const runs = findEncodedRuns(text);
    expect(runs.map((run) => [run.encoding, run.text])).toEqual([
      ['base64', 'contact me at jane@example.com'],
      ['hex', 'the password is hunter2'],
      ['url', 'mail to:jane@example.com'],
    ]);
    expect(text.slice(runs[0].start, runs[0].end)).toBe(base64);
  });

  it('ignores hashes, git SHAs, UUIDs and random base64 (they decode to binary)', () => {
    const text = [
      'commit 3f786850e387550fdab836ed7e6dc881de23001b',
      'sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'id 123e4567-e89b-12d3-a456-426614174000',
      'blob q83vEjRWeJq8dW3yAbCdEf0123456789+/AbCdEf==',
    ].join('\n');
    expect(findEncodedRuns(text)).toEqual([]);
  });
});
