import type { Logger } from '../../spec/index.js';
import { unrefTimerScheduler, type FlushScheduler } from '../flush-scheduler.js';
import type { LedgerRow } from '../ledger-row.js';
import type { RequestObserver } from '../request-observer.js';
import { cloudEvent, cloudEventTypes, eventSubjects } from './cloud-event.js';
import type { EventPublisher } from './event-publisher.js';

/** Options of {@link RequestEventPublisher}. */
export interface RequestEventPublisherOptions {
  publisher: EventPublisher;
  /** The events' CloudEvents `source`. */
  source: string;
  /** Longest time a row waits before its event is published (default 200 ms). */
  flushIntervalMs?: number;
  /** Events published per flush (default 500). */
  maxBatch?: number;
  /** Rows kept while the bus is failing; beyond it new rows are dropped and counted (default 10,000). */
  maxBuffered?: number;
  scheduler?: FlushScheduler;
  logger: Logger;
}

/**
 * Publishes every finished request as a CloudEvent on `llm.requests` (type `dev.switchyard.request.completed`,
 * data: the ledger row, never a prompt). `observe` only pushes the row to a bounded buffer; a timer publishes
 * it in batches. Events that failed go back to the buffer and are tried again at the next flush; the event id
 * is the request id, so JetStream stores a retried one once.
 */
export class RequestEventPublisher implements RequestObserver {
  readonly #options: RequestEventPublisherOptions;
  #buffer: LedgerRow[] = [];
  #cancelTimer: (() => void) | undefined;
  #flushing: Promise<void> | undefined;
  #published = 0;
  #dropped = 0;
  #closed = false;

  constructor(options: RequestEventPublisherOptions) {
    this.#options = options;
  }

  observe(row: LedgerRow): void {
    if (this.#closed) return;
    if (this.#buffer.length >= (this.#options.maxBuffered ?? 10_000)) {
      this.#dropped += 1;
      return;
    }
    this.#buffer.push(row);
    if (this.#cancelTimer === undefined && this.#flushing === undefined) this.#arm();
  }

  stats(): { buffered: number; published: number; dropped: number } {
    return { buffered: this.#buffer.length, published: this.#published, dropped: this.#dropped };
  }

  #arm(): void {
    const scheduler = this.#options.scheduler ?? unrefTimerScheduler;
    this.#cancelTimer = scheduler.schedule(() => {
      this.#cancelTimer = undefined;
      void this.flush();
    }, this.#options.flushIntervalMs ?? 200);
  }

  /** Publishes what is buffered (one flush at a time). */
  flush(): Promise<void> {
    this.#flushing ??= this.#publishBatch().finally(() => {
      this.#flushing = undefined;
      if (this.#buffer.length > 0 && !this.#closed && this.#cancelTimer === undefined) this.#arm();
    });
    return this.#flushing;
  }

  async #publishBatch(): Promise<void> {
    const batch = this.#buffer.splice(0, this.#options.maxBatch ?? 500);
    if (batch.length === 0) return;
    const { publisher, source } = this.#options;
    const results = await Promise.allSettled(
      batch.map((row) => publisher.publish(eventSubjects.requests, cloudEvent({ id: row.id, source, type: cloudEventTypes.requestCompleted, atMs: row.timestamp, subject: row.id, data: row }))),
    );
    const failed = batch.filter((_, index) => results[index].status === 'rejected');
    this.#published += batch.length - failed.length;
    if (failed.length > 0) {
      const reason = (results.find((result) => result.status === 'rejected') as PromiseRejectedResult).reason as Error;
      this.#options.logger.warn({ failed: failed.length, error: reason.message }, 'publishing request events failed; retried at the next flush');
      const room = (this.#options.maxBuffered ?? 10_000) - this.#buffer.length;
      this.#dropped += Math.max(0, failed.length - room);
      this.#buffer.unshift(...failed.slice(0, Math.max(0, room)));
    }
  }

  /** Publishes what is left once, then stops taking rows. */
  async close(): Promise<void> {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    await this.#flushing;
    this.#closed = true;
    await this.#publishBatch();
  }
}
