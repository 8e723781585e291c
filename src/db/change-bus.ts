/**
 * What a change message carries: the id of what changed and other string fields. Kept to strings so every
 * transport carries it unchanged; a message says *that* something changed, never the new value (readers
 * reload it from the store), so it never carries a secret.
 */
export interface ChangePayload {
  id: string;
  [field: string]: string;
}

/**
 * Receives changes. `topic` is the topic published to, or {@link resyncTopic} for a resync: then the payload
 * is {@link resyncPayload} and the listener must drop everything it caches, because changes may have been
 * missed (the bus lost its connection meanwhile).
 */
export type ChangeListener = (topic: string, payload: ChangePayload) => void;

/** The topic of a resync, and the subscription that receives every topic. */
export const resyncTopic = '*';

/** The payload of a resync. */
export const resyncPayload: Readonly<ChangePayload> = Object.freeze({ id: 'resync' });

/** Topic names: lower case, digits, `.`, `_` and `-` (e.g. `virtual-key`, `workspace.config`). */
export const topicPattern = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/**
 * The port that tells every replica's caches that something changed, for cache invalidation: the embedded
 * preset uses `MemoryChangeBus` (one process), the scaled one `RedisChangeBus` (Redis pub/sub).
 *
 * Delivery is at most once and in publish order per publisher. A message published on a replica is also
 * delivered to that replica's own listeners, so a cache is invalidated the same way whichever replica made the
 * change. When a transport may have lost messages (a reconnect) it delivers a resync to every listener, so
 * caches may never keep a stale entry for longer than an outage; caches still bound their entries' age with a
 * TTL, because a message may be lost without the bus knowing (the publisher's own connection was down).
 */
export interface ChangeBus {
  /**
   * Publishes a change to every subscriber of `topic` (and of `*`) on every replica. Resolves once the
   * transport accepted it; rejects when it could not (the caller logs it: the change itself is already stored).
   */
  publish(topic: string, payload: ChangePayload): Promise<void>;
  /**
   * Calls `listener` for each change on `topic`, or on every topic for `*`; every listener also receives
   * resyncs. Returns the function that unsubscribes. A listener that throws does not keep the others from
   * being called.
   */
  subscribe(topic: string, listener: ChangeListener): () => void;
  /** Stops delivery and releases the transport; `publish` rejects afterwards. */
  close(): Promise<void>;
}

/** Checks a topic before it goes out: a typo'd or empty topic would never reach anyone. */
export function assertTopic(topic: string): void {
  if (!topicPattern.test(topic)) throw new TypeError(`Invalid change topic '${topic}': expected ${topicPattern}`);
}

/** Checks a payload before it goes out (its fields cross process boundaries as strings). */
export function assertPayload(payload: ChangePayload): void {
  if (typeof payload.id !== 'string' || payload.id.length === 0) throw new TypeError('A change payload needs a non-empty string id');
  for (const [field, value] of Object.entries(payload)) {
    if (typeof value !== 'string') throw new TypeError(`Change payload field '${field}' must be a string`);
  }
}

/**
 * The listeners of one bus, by topic: both implementations deliver through it, so they behave alike (a
 * listener that throws is reported and skipped; a listener removed during delivery is not called again).
 */
export class ChangeListeners {
  readonly #byTopic = new Map<string, Set<ChangeListener>>();

  constructor(private readonly onListenerError: (error: unknown, topic: string) => void) {}

  add(topic: string, listener: ChangeListener): () => void {
    if (topic !== resyncTopic) assertTopic(topic);
    let listeners = this.#byTopic.get(topic);
    if (listeners === undefined) {
      listeners = new Set();
      this.#byTopic.set(topic, listeners);
    }
    // Wrapped, so subscribing the same function twice gives two subscriptions, each removed on its own.
    const entry: ChangeListener = (changedTopic, payload) => listener(changedTopic, payload);
    listeners.add(entry);
    return () => {
      const current = this.#byTopic.get(topic);
      current?.delete(entry);
      if (current?.size === 0) this.#byTopic.delete(topic);
    };
  }

  /** Calls the listeners of `topic` and of `*`; a resync (topic `*`) reaches every listener. */
  deliver(topic: string, payload: ChangePayload): void {
    const sets = topic === resyncTopic ? [...this.#byTopic.values()] : [this.#byTopic.get(topic), this.#byTopic.get(resyncTopic)];
    const targets = sets.flatMap((set) => (set === undefined ? [] : [...set].map((listener) => ({ set, listener }))));
    for (const { set, listener } of targets) {
      // An earlier listener may have unsubscribed this one.
      if (!set.has(listener)) continue;
      try {
        // Each listener gets its own copy: one that edits the payload cannot change what the next one sees.
        listener(topic, { ...payload });
      } catch (error) {
        this.onListenerError(error, topic);
      }
    }
  }

  clear(): void {
    this.#byTopic.clear();
  }
}
