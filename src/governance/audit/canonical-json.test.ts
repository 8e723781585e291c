import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('gives the same text whatever order the keys were built in, at any depth', () => {
    const left = canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } });
    const right = canonicalJson({ a: { c: 'x', d: [3, { y: 2, z: 1 }] }, b: 1 });
    expect(left).toBe(right);
    expect(left).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('keeps array order and follows JSON for undefined and non-finite numbers', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
    expect(canonicalJson({ kept: null, dropped: undefined, list: [undefined, Number.NaN] })).toBe('{"kept":null,"list":[null,null]}');
    expect(canonicalJson('a"b')).toBe(JSON.stringify('a"b'));
  });
});
