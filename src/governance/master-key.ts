import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The settings key under which the master key's hash is stored. */
export const masterKeyHashSetting = 'master_key_sha256';

/** Where the master key's hash lives (the `settings` table of the store). */
export interface SettingsStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

/** The outcome of {@link ensureMasterKey}: the hash to check against, and the key itself only when new. */
export interface MasterKeyState {
  hash: Buffer;
  /** Set only when this start created the key: print it once, it is never stored. */
  createdKey?: string;
  source: 'environment' | 'stored' | 'created';
}

/** SHA-256 of a key. Keys are long random strings, so a fast hash is the right tool (no password stretching). */
export function hashKey(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

/** A new master key: `sk-sy-` and 40 base62 characters (about 238 bits). */
export function generateMasterKey(): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const bytes = randomBytes(40);
  let key = 'sk-sy-';
  // 248 = 4 * 62: rejecting bytes >= 248 keeps every character equally likely.
  for (let index = 0; key.length < 46; index++) {
    const byte = index < bytes.length ? bytes[index] : randomBytes(1)[0];
    if (byte < 248) key += alphabet[byte % 62];
  }
  return key;
}

/**
 * Makes sure a master key exists: `SWITCHYARD_MASTER_KEY` wins (its hash is stored); otherwise the stored
 * hash is used; otherwise a new key is created, its hash stored, and the key returned once for printing.
 */
export async function ensureMasterKey(store: SettingsStore, environmentKey: string | undefined): Promise<MasterKeyState> {
  if (environmentKey !== undefined && environmentKey !== '') {
    const hash = hashKey(environmentKey);
    const stored = await store.get(masterKeyHashSetting);
    if (stored !== hash.toString('hex')) await store.set(masterKeyHashSetting, hash.toString('hex'));
    return { hash, source: 'environment' };
  }
  const stored = await store.get(masterKeyHashSetting);
  if (stored !== undefined && /^[0-9a-f]{64}$/.test(stored)) return { hash: Buffer.from(stored, 'hex'), source: 'stored' };
  const createdKey = generateMasterKey();
  const hash = hashKey(createdKey);
  await store.set(masterKeyHashSetting, hash.toString('hex'));
  return { hash, createdKey, source: 'created' };
}

/** Replaces the master key with a new one and returns it (`switchyard master-key rotate`). */
export async function rotateMasterKey(store: SettingsStore): Promise<string> {
  const key = generateMasterKey();
  await store.set(masterKeyHashSetting, hashKey(key).toString('hex'));
  return key;
}

/** Constant-time comparison of a presented key's digest ({@link hashKey}) against the stored hash. */
export function digestMatches(digest: Buffer, hash: Buffer): boolean {
  return digest.length === hash.length && timingSafeEqual(digest, hash);
}
