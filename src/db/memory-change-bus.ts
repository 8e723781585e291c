import { assertPayload, assertTopic, ChangeListeners, type ChangeBus, type ChangeListener, type ChangePayload } from './change-bus.js';

/**
 * What several {@link MemoryChangeBus}es share: a message published on one reaches all of them. The embedded
 * preset has one bus and needs none; tests use one to stand for several replicas in one process.
 */
export class MemoryChangeNetwork {
  readonly #buses = new Set<MemoryChangeBus>();

  /** @internal Called by the bus. */
  join(bus: MemoryChangeBus): void {
    this.#buses.add(bus);
  }

  /** @internal Called by the bus. */
  leave(bus: MemoryChangeBus): void {
    this.#buses.delete(bus);
  }

  /** @internal Called by the bus. */
  broadcast(topic: string, payload: ChangePayload): void {
    for (const bus of [...this.#buses]) bus.receive(topic, payload);
  }
}

/** Options of {@link MemoryChangeBus}. */
export interface MemoryChangeBusOptions {
  /** Buses on the same network see each other's messages (default: a network of its own). */
  network?: MemoryChangeNetwork;
  /** Called when a listener throws (the error is otherwise dropped: one cache must not break the others). */
  onListenerError?: (error: unknown, topic: string) => void;
}

/**
 * The embedded preset's {@link ChangeBus}: in-process and synchronous, so when `publish` resolves every
 * listener has already run (a change is visible to the next request at once). It never loses a message, so it
 * never sends a resync.
 */
export class MemoryChangeBus implements ChangeBus {
  readonly #listeners: ChangeListeners;
  readonly #network: MemoryChangeNetwork;
  #closed = false;

  constructor(options: MemoryChangeBusOptions = {}) {
    this.#listeners = new ChangeListeners(options.onListenerError ?? (() => undefined));
    this.#network = options.network ?? new MemoryChangeNetwork();
    this.#network.join(this);
  }

  async publish(topic: string, payload: ChangePayload): Promise<void> {
    if (this.#closed) throw new Error('The change bus is closed');
    assertTopic(topic);
    assertPayload(payload);
    this.#network.broadcast(topic, { ...payload });
  }

  subscribe(topic: string, listener: ChangeListener): () => void {
    return this.#listeners.add(topic, listener);
  }

  /** @internal Called by the network. */
  receive(topic: string, payload: ChangePayload): void {
    if (!this.#closed) this.#listeners.deliver(topic, payload);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#network.leave(this);
    this.#listeners.clear();
  }
}
