import type { Clock } from '../../../spec/index.js';
import type { BreakerChangeChannel, BreakerChangePayload, BreakerStateStore } from '../shared-breaker-state.js';

type Listener = (topic: string, payload: BreakerChangePayload) => void;

/**
 * Stands for Redis in routing tests: a breaker store whose records expire on the test clock, and change
 * channels that deliver synchronously to every replica (the publisher included), as the change bus does.
 */
export class MemoryBreakerNetwork {
  readonly records = new Map<string, { openUntil: number; expiresAt: number }>();
  readonly published: Array<{ topic: string; payload: BreakerChangePayload }> = [];
  readonly #listeners = new Set<{ topic: string; listener: Listener }>();
  /** When set, the store's writes fail with it (Redis away). */
  failure?: Error;

  constructor(private readonly clock: Clock) {}

  readonly store: BreakerStateStore = {
    recordOpen: async (deploymentId, openUntil, ttlMs) => {
      if (this.failure) throw this.failure;
      this.records.set(deploymentId, { openUntil, expiresAt: this.clock.now() + ttlMs });
    },
    recordClosed: async (deploymentId) => {
      if (this.failure) throw this.failure;
      this.records.delete(deploymentId);
    },
    readOpen: async (deploymentIds) => {
      if (this.failure) throw this.failure;
      const open = new Map<string, number>();
      for (const id of deploymentIds) {
        const record = this.records.get(id);
        if (record !== undefined && record.expiresAt > this.clock.now()) open.set(id, record.openUntil);
      }
      return open;
    },
  };

  /** A channel for one replica. */
  channel(): BreakerChangeChannel {
    return {
      publish: async (topic, payload) => this.deliver(topic, payload),
      subscribe: (topic, listener) => {
        const entry = { topic, listener };
        this.#listeners.add(entry);
        return () => this.#listeners.delete(entry);
      },
    };
  }

  /** Delivers a message as if another process had published it. */
  deliver(topic: string, payload: BreakerChangePayload): void {
    this.published.push({ topic, payload: { ...payload } });
    for (const { topic: subscribed, listener } of [...this.#listeners]) if (subscribed === topic) listener(topic, { ...payload });
  }

  /** What the change bus sends every listener after a reconnect. */
  resync(): void {
    for (const { listener } of [...this.#listeners]) listener('*', { id: 'resync' });
  }
}
