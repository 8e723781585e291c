import { randomBytes } from 'node:crypto';
import { generateMasterKey, hashKey } from '../master-key.js';

/** A freshly generated virtual key: the key is shown to its creator once; only prefix and hash are stored. */
export interface VirtualKeyMaterial {
  /** `sk-sy-` and 40 base62 characters. Never stored, never logged. */
  key: string;
  /** The first 12 characters (`sk-sy-` and 6 more), to recognise the key in lists. */
  prefix: string;
  /** SHA-256 of the key, lowercase hex: what the store looks keys up by. */
  hash: string;
}

/** Characters shown of a key in lists, logs and error messages. */
export const visiblePrefixLength = 12;

/** A new virtual key. It has the master key's shape, so clients and the authenticator treat both alike. */
export function generateVirtualKey(): VirtualKeyMaterial {
  const key = generateMasterKey();
  return { key, prefix: key.slice(0, visiblePrefixLength), hash: hashVirtualKey(key) };
}

/** The hash a presented key is looked up by (SHA-256, lowercase hex). */
export function hashVirtualKey(key: string): string {
  return hashKey(key).toString('hex');
}

/** The kinds of identity record, by the prefix their ids carry. */
export const idPrefixes = {
  organisation: 'org',
  workspace: 'ws',
  team: 'team',
  user: 'user',
  'service-account': 'sa',
  key: 'key',
  'role-binding': 'rb',
} as const;

/** A kind of identity record. */
export type IdentityKind = keyof typeof idPrefixes;

const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 20 base62 characters: about 119 random bits, so ids never collide in practice. */
const idRandomLength = 20;

/** A new id such as `key_4fJ9...`: the prefix says in any log line what the id is. */
export function newId(kind: IdentityKind): string {
  return `${idPrefixes[kind]}_${randomBase62(idRandomLength)}`;
}

function randomBase62(length: number): string {
  let text = '';
  while (text.length < length) {
    for (const byte of randomBytes(length)) {
      // 248 = 4 * 62: rejecting bytes >= 248 keeps every character equally likely.
      if (byte < 248 && text.length < length) text += base62[byte % 62];
    }
  }
  return text;
}
