import type { Logger } from '../../spec/index.js';
import { withoutSecrets } from './redact-url.js';

/** One notification to deliver to one channel. */
export interface DeliveryJob {
  /** The channel's name (for logs). */
  channel: string;
  /** Where it goes, redacted (for logs). */
  target: string;
  /** One attempt; throws a {@link DeliveryError} (or any error: then retried) when it failed. */
  send(signal: AbortSignal): Promise<void>;
  /** Strings that must never reach a log (the URL, a token), scrubbed from error messages. */
  secrets: ReadonlyArray<string>;
}

/** A failed attempt; `retryable: false` (a 4xx answer) ends the delivery at once. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** Options of {@link DeliveryQueue}. */
export interface DeliveryQueueOptions {
  /** Jobs waiting; when full the oldest waiting one is dropped (and logged). */
  capacity: number;
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** Per attempt. */
  timeoutMs: number;
  /** Deliveries in flight at once (default 4). */
  concurrency?: number;
  /** Waits between attempts (the clock's sleep; tests pass a fast one). */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  logger: Logger;
}

/** Counters, for health and tests. */
export interface DeliveryStats {
  queued: number;
  delivered: number;
  failed: number;
  dropped: number;
}

/**
 * Delivers notifications off the request path: `enqueue` only pushes to a bounded queue; a few workers
 * send, retrying failures with exponential backoff (with jitter) up to `maxAttempts`. A failure is logged
 * with the channel's name and redacted target, never its URL or secret.
 */
export class DeliveryQueue {
  readonly #options: DeliveryQueueOptions;
  readonly #waiting: DeliveryJob[] = [];
  readonly #closing = new AbortController();
  readonly #idleWaiters: Array<() => void> = [];
  #active = 0;
  #delivered = 0;
  #failed = 0;
  #dropped = 0;

  constructor(options: DeliveryQueueOptions) {
    this.#options = options;
  }

  enqueue(job: DeliveryJob): void {
    if (this.#closing.signal.aborted) {
      this.#drop(job, 'the queue is closed');
      return;
    }
    if (this.#waiting.length >= this.#options.capacity) {
      const oldest = this.#waiting.shift() as DeliveryJob;
      this.#drop(oldest, 'the delivery queue is full');
    }
    this.#waiting.push(job);
    this.#pump();
  }

  stats(): DeliveryStats {
    return { queued: this.#waiting.length + this.#active, delivered: this.#delivered, failed: this.#failed, dropped: this.#dropped };
  }

  /** Resolves once nothing is waiting or in flight. */
  idle(): Promise<void> {
    if (this.#waiting.length === 0 && this.#active === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops retrying, gives what is in flight up to `graceMs` to finish, drops the rest. */
  async close(graceMs = 2000): Promise<void> {
    this.#closing.abort();
    for (const job of this.#waiting.splice(0)) this.#drop(job, 'the gateway is shutting down');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
  }

  #pump(): void {
    while (this.#active < (this.#options.concurrency ?? 4) && this.#waiting.length > 0) {
      const job = this.#waiting.shift() as DeliveryJob;
      this.#active += 1;
      void this.#deliver(job).finally(() => {
        this.#active -= 1;
        this.#pump();
        if (this.#active === 0 && this.#waiting.length === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
      });
    }
  }

  async #deliver(job: DeliveryJob): Promise<void> {
    const { maxAttempts, initialBackoffMs, maxBackoffMs, timeoutMs, logger } = this.#options;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await job.send(AbortSignal.any([AbortSignal.timeout(timeoutMs), this.#closing.signal]));
        this.#delivered += 1;
        return;
      } catch (error) {
        const retryable = !(error instanceof DeliveryError) || error.retryable;
        const message = withoutSecrets((error as Error).message ?? String(error), job.secrets);
        if (!retryable || attempt >= maxAttempts || this.#closing.signal.aborted) {
          this.#failed += 1;
          logger.warn({ channel: job.channel, target: job.target, attempts: attempt, error: message }, 'notification delivery failed');
          return;
        }
        const backoff = Math.min(maxBackoffMs, initialBackoffMs * 2 ** (attempt - 1));
        try {
          await this.#options.sleep(backoff * (0.75 + Math.random() * 0.5), this.#closing.signal);
        } catch {
          this.#failed += 1;
          return;
        }
      }
    }
  }

  #drop(job: DeliveryJob, reason: string): void {
    this.#dropped += 1;
    this.#options.logger.warn({ channel: job.channel, target: job.target, reason }, 'notification dropped');
  }
}
