import type { Logger } from '../../spec/index.js';
import { silentLogger } from '../../kit/silent-logger.js';
import { unrefTimerScheduler, type FlushScheduler } from '../flush-scheduler.js';
import type { TraceSpan } from './trace-types.js';

/** Options of {@link SpanQueue}. */
export interface SpanQueueOptions {
  /** Where a batch goes: the trace store, or the OTLP exporter's HTTP call. */
  sink: (spans: TraceSpan[]) => Promise<void>;
  /** What the log lines call it (`trace store`, `OTLP export`). */
  name: string;
  /** Longest time a span waits before a send starts (default 1,000 ms). */
  intervalMs?: number;
  /** Spans per send; a full batch is sent at once (default 512). */
  maxBatch?: number;
  /** Bound of the queue: beyond it the oldest spans are dropped and counted (default 20,000). */
  maxQueued?: number;
  /** Delay after a failed send, doubled per failure up to 30 s (default 1,000 ms). */
  retryDelayMs?: number;
  logger?: Logger;
  scheduler?: FlushScheduler;
}

/** Counters of a {@link SpanQueue}. */
export interface SpanQueueStats {
  queued: number;
  sent: number;
  dropped: number;
  failedSends: number;
}

/**
 * A bounded queue of spans sent in batches on a timer, one send at a time, off the response path: `push`
 * only appends. A failed batch goes back in front and is retried with backoff; what does not fit the bound is
 * dropped (oldest first), so a dead collector or database costs memory up to the bound and nothing else.
 */
export class SpanQueue {
  private readonly sink: SpanQueueOptions['sink'];
  private readonly name: string;
  private readonly intervalMs: number;
  private readonly maxBatch: number;
  private readonly maxQueued: number;
  private readonly retryDelayMs: number;
  private readonly logger: Logger;
  private readonly scheduler: FlushScheduler;
  private queue: TraceSpan[] = [];
  private cancelTimer: (() => void) | undefined;
  private sending: Promise<boolean> | undefined;
  private failures = 0;
  private closed = false;
  private readonly counters = { sent: 0, dropped: 0, failedSends: 0 };

  constructor(options: SpanQueueOptions) {
    this.sink = options.sink;
    this.name = options.name;
    this.intervalMs = options.intervalMs ?? 1_000;
    this.maxBatch = Math.max(1, options.maxBatch ?? 512);
    this.maxQueued = Math.max(this.maxBatch, options.maxQueued ?? 20_000);
    this.retryDelayMs = options.retryDelayMs ?? 1_000;
    this.logger = options.logger ?? silentLogger;
    this.scheduler = options.scheduler ?? unrefTimerScheduler;
  }

  /** Queues spans. Synchronous and cheap: it runs on the request's turn. */
  push(spans: readonly TraceSpan[]): void {
    if (this.closed) {
      this.drop(spans.length, 'queue closed');
      return;
    }
    for (const span of spans) this.queue.push(span);
    this.trim();
    if (this.sending !== undefined) return;
    if (this.failures === 0 && this.queue.length >= this.maxBatch) this.schedule(0);
    else if (this.cancelTimer === undefined) this.schedule(this.failures > 0 ? this.backoff() : this.intervalMs);
  }

  /** Sends everything queued now; rejects when a send fails (the spans stay queued). */
  async flush(): Promise<void> {
    for (;;) {
      if (this.sending !== undefined) {
        await this.sending;
        continue;
      }
      if (this.queue.length === 0) return;
      if (!(await this.send())) throw new Error(`${this.name}: sending spans failed`);
    }
  }

  /** Refuses further spans and sends what is left (three tries); never rejects, so shutdown cannot hang on it. */
  async close(): Promise<void> {
    this.closed = true;
    this.clearTimer();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        await this.flush();
        return;
      } catch {
        // logged by send; try again
      }
    }
    this.drop(this.queue.length, 'still failing at shutdown');
    this.queue = [];
  }

  stats(): SpanQueueStats {
    return { queued: this.queue.length, ...this.counters };
  }

  private send(): Promise<boolean> {
    this.clearTimer();
    const batch = this.queue.splice(0, this.maxBatch);
    const run = Promise.resolve()
      .then(() => this.sink(batch))
      .then(
        () => {
          this.counters.sent += batch.length;
          this.failures = 0;
          return true;
        },
        (error: unknown) => {
          this.failures += 1;
          this.counters.failedSends += 1;
          this.queue = batch.concat(this.queue);
          this.trim();
          this.logger.warn({ error: error instanceof Error ? error.message : String(error), spans: batch.length, failures: this.failures }, `${this.name}: sending spans failed; will retry`);
          return false;
        },
      )
      .then((ok) => {
        this.sending = undefined;
        if (!this.closed && this.queue.length > 0) this.schedule(!ok ? this.backoff() : this.queue.length >= this.maxBatch ? 0 : this.intervalMs);
        return ok;
      });
    this.sending = run;
    return run;
  }

  private trim(): void {
    const excess = this.queue.length - this.maxQueued;
    if (excess > 0) {
      this.queue.splice(0, excess);
      this.drop(excess, 'queue full');
    }
  }

  private backoff(): number {
    return Math.min(30_000, this.retryDelayMs * 2 ** Math.min(this.failures - 1, 15));
  }

  private schedule(delayMs: number): void {
    this.clearTimer();
    this.cancelTimer = this.scheduler.schedule(() => {
      this.cancelTimer = undefined;
      if (this.sending === undefined && this.queue.length > 0) void this.send();
    }, delayMs);
  }

  private clearTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  private drop(count: number, reason: string): void {
    if (count <= 0) return;
    const before = this.counters.dropped;
    this.counters.dropped += count;
    if (before === 0 || Math.floor(before / 1000) !== Math.floor(this.counters.dropped / 1000)) {
      this.logger.warn({ dropped: this.counters.dropped, reason }, `${this.name}: spans dropped`);
    }
  }
}
