import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateVirtualKey, hashVirtualKey, idPrefixes, newId, type IdentityKind } from './virtual-key-material.js';

describe('generateVirtualKey', () => {
  it('makes an sk-sy- key of 40 base62 characters, its 12-character prefix and its SHA-256', () => {
    const { key, prefix, hash } = generateVirtualKey();
    expect(key).toMatch(/^sk-sy-[0-9A-Za-z]{40}$/);
    expect(prefix).toBe(key.slice(0, 12));
    expect(hash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(hashVirtualKey(key)).toBe(hash);
  });

  it('never repeats a key', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => generateVirtualKey().key));
    expect(keys.size).toBe(1000);
  });
});

describe('newId', () => {
  it.each(Object.entries(idPrefixes))('prefixes %s ids with %s_', (kind, prefix) => {
    const id = newId(kind as IdentityKind);
    expect(id).toMatch(new RegExp(`^${prefix}_[0-9A-Za-z]{20}$`));
  });

  it('gives a different id every time', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newId('key')));
    expect(ids.size).toBe(1000);
  });
});
