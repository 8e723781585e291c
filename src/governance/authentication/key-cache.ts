import type { IdentityStore } from '../identity/identity-store.js';
import type { KeySecret, VirtualKey } from '../identity/identity-types.js';

/** A key found by its secret's hash. */
export interface CachedKey {
  key: VirtualKey;
  secret: KeySecret;
}

interface Entry {
  value: CachedKey | undefined;
  /** `clock.now()` after which the entry is looked up again. */
  staleAt: number;
}

/** How long entries live. */
export interface KeyCacheOptions {
  /** A found key is re-read after this long even without an invalidation (the bound if a bus message is lost). */
  positiveTtlMs: number;
  /** An unknown hash is answered from memory this long (so a flood of bad keys does not reach the store). */
  negativeTtlMs: number;
  /** Entries kept at most; the oldest go first. */
  maxEntries: number;
}

/**
 * Virtual keys by secret hash, in memory. A hit answers synchronously (the hot path awaits nothing); a miss
 * reads the store once, however many requests wait for it. `invalidate` drops everything a key change may
 * affect: it is called from the change bus, so a key created, rotated, blocked or revoked on one replica takes
 * effect on the others within the bus's delivery time, and within `positiveTtlMs` if a message is lost.
 * Expiry of keys and rotated secrets is judged on every use from the cached record, so it needs no message.
 */
export class KeyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<CachedKey | undefined>>();
  private generation = 0;

  constructor(
    private readonly store: Pick<IdentityStore, 'findKeyBySecretHash'>,
    private readonly now: () => number,
    private readonly options: KeyCacheOptions = { positiveTtlMs: 30_000, negativeTtlMs: 5_000, maxEntries: 100_000 },
  ) {}

  /** The cached answer when fresh (`undefined` for a known-unknown hash), or `miss`. */
  peek(hash: string): CachedKey | undefined | 'miss' {
    const entry = this.entries.get(hash);
    if (entry === undefined || entry.staleAt <= this.now()) return 'miss';
    return entry.value;
  }

  /** Reads the store (once per hash at a time) and caches the answer. */
  load(hash: string): Promise<CachedKey | undefined> {
    const waiting = this.pending.get(hash);
    if (waiting !== undefined) return waiting;
    const generation = this.generation;
    const loading = this.store
      .findKeyBySecretHash(hash, this.now())
      .then((found) => {
        // An invalidation that arrived while reading makes this answer possibly stale: do not keep it.
        if (generation === this.generation) this.remember(hash, found);
        return found;
      })
      .finally(() => this.pending.delete(hash));
    this.pending.set(hash, loading);
    return loading;
  }

  /** Drops every entry (a key changed somewhere; which hashes it had is not known here). */
  invalidate(): void {
    this.generation += 1;
    this.entries.clear();
  }

  /** Entries held (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  private remember(hash: string, value: CachedKey | undefined): void {
    if (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    const ttl = value === undefined ? this.options.negativeTtlMs : this.options.positiveTtlMs;
    this.entries.set(hash, { value, staleAt: this.now() + ttl });
  }
}
