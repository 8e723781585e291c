import type { Logger } from '../spec/index.js';
import { silentLogger } from '../kit/silent-logger.js';
import { unrefTimerScheduler, type FlushScheduler } from './flush-scheduler.js';
import type { LedgerRow } from './ledger-row.js';
import type { LedgerWriter } from './ledger-writer.js';

/** Options of {@link BatchedLedgerWriter}. */
export interface BatchedLedgerWriterOptions<Item = LedgerRow> {
  /** Where batches go (the usage ledger, or any store with a batch `append`: captured payloads). */
  ledger: { append(items: Item[]): Promise<void> };
  /** Longest time a row waits in the buffer before a flush starts (default 50 ms). */
  intervalMs?: number;
  /** Rows per `append` call; a full batch is flushed at once (default 500). */
  maxBatch?: number;
  /** Hard limit of buffered rows while the ledger is failing; rows beyond it are dropped and counted (default 100,000). */
  maxBuffered?: number;
  /** First retry delay after a failed flush, doubled per failure (default 100 ms). */
  retryInitialDelayMs?: number;
  /** Longest retry delay (default 5,000 ms). */
  retryMaxDelayMs?: number;
  /** How many times `close()` tries to write what is left before giving up (default 3). */
  closeAttempts?: number;
  logger?: Logger;
  scheduler?: FlushScheduler;
}

/** Counters of a {@link BatchedLedgerWriter}, for health checks and metrics. */
export interface BatchedLedgerWriterStats {
  buffered: number;
  written: number;
  dropped: number;
  failedFlushes: number;
}

/**
 * Group-commits ledger rows off the response path. `write` only pushes to a buffer; a timer (or a full
 * batch) starts an `append` of up to `maxBatch` rows. A failed append puts its rows back at the front and is
 * retried with exponential backoff, so rows are lost only beyond `maxBuffered` (counted and logged) or when
 * `close()` finally gives up. Only one append runs at a time, which keeps rows in order.
 */
export class BatchedLedgerWriter<Item = LedgerRow> implements LedgerWriter<Item> {
  private readonly ledger: BatchedLedgerWriterOptions<Item>['ledger'];
  private readonly intervalMs: number;
  private readonly maxBatch: number;
  private readonly maxBuffered: number;
  private readonly retryInitialDelayMs: number;
  private readonly retryMaxDelayMs: number;
  private readonly closeAttempts: number;
  private readonly logger: Logger;
  private readonly scheduler: FlushScheduler;

  private buffer: Item[] = [];
  private cancelTimer: (() => void) | undefined;
  private timerIsImmediate = false;
  private inflight: Promise<boolean> | undefined;
  private consecutiveFailures = 0;
  private closed = false;
  private written = 0;
  private dropped = 0;
  private failedFlushes = 0;
  private lastError: unknown;

  constructor(options: BatchedLedgerWriterOptions<Item>) {
    this.ledger = options.ledger;
    this.intervalMs = options.intervalMs ?? 50;
    this.maxBatch = Math.max(1, options.maxBatch ?? 500);
    this.maxBuffered = Math.max(this.maxBatch, options.maxBuffered ?? 100_000);
    this.retryInitialDelayMs = options.retryInitialDelayMs ?? 100;
    this.retryMaxDelayMs = options.retryMaxDelayMs ?? 5_000;
    this.closeAttempts = Math.max(1, options.closeAttempts ?? 3);
    this.logger = options.logger ?? silentLogger;
    this.scheduler = options.scheduler ?? unrefTimerScheduler;
  }

  /** Queues a row. Synchronous and O(1): it is called on the response path. */
  write(row: Item): void {
    if (this.closed || this.buffer.length >= this.maxBuffered) {
      this.drop(1, this.closed ? 'writer closed' : 'buffer full');
      return;
    }
    this.buffer.push(row);
    // A running append schedules the next one when it ends.
    if (this.inflight) return;
    if (this.consecutiveFailures === 0 && this.buffer.length >= this.maxBatch) {
      if (!this.timerIsImmediate) this.schedule(0);
    } else if (!this.cancelTimer) {
      this.schedule(this.consecutiveFailures > 0 ? this.retryDelay() : this.intervalMs);
    }
  }

  /** Writes everything buffered now. Rejects when an append fails (the rows stay buffered for the retry). */
  async flush(): Promise<void> {
    for (;;) {
      if (this.inflight) {
        await this.inflight;
        continue;
      }
      if (this.buffer.length === 0) return;
      const ok = await this.writeBatch();
      if (!ok) throw this.lastError instanceof Error ? this.lastError : new Error('usage ledger append failed');
    }
  }

  /**
   * Stops the timer, refuses further rows and writes what is left, trying `closeAttempts` times. Resolves
   * even when the ledger keeps failing (the loss is logged and counted), so shutdown never hangs on it.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.clearTimer();
    for (let attempt = 1; attempt <= this.closeAttempts; attempt += 1) {
      try {
        await this.flush();
        return;
      } catch {
        // logged by writeBatch; try again
      }
    }
    const lost = this.buffer.length;
    this.buffer = [];
    this.dropped += lost;
    this.logger.error({ lost }, 'usage ledger rows lost at shutdown: the ledger kept failing');
  }

  stats(): BatchedLedgerWriterStats {
    return {
      buffered: this.buffer.length,
      written: this.written,
      dropped: this.dropped,
      failedFlushes: this.failedFlushes,
    };
  }

  private writeBatch(): Promise<boolean> {
    this.clearTimer();
    const batch = this.buffer.splice(0, this.maxBatch);
    const run = Promise.resolve()
      .then(() => this.ledger.append(batch))
      .then(
        () => {
          this.written += batch.length;
          this.consecutiveFailures = 0;
          this.lastError = undefined;
          return true;
        },
        (error: unknown) => {
          this.consecutiveFailures += 1;
          this.failedFlushes += 1;
          this.lastError = error;
          this.requeue(batch);
          this.logger.error(
            {
              error: error instanceof Error ? error.message : String(error),
              rows: batch.length,
              buffered: this.buffer.length,
              consecutiveFailures: this.consecutiveFailures,
            },
            'usage ledger append failed; will retry',
          );
          return false;
        },
      )
      .then((ok) => {
        this.inflight = undefined;
        this.scheduleNext(ok);
        return ok;
      });
    this.inflight = run;
    return run;
  }

  // Failed rows go back in front, so order holds; beyond the hard limit the oldest are dropped.
  private requeue(batch: Item[]): void {
    const merged = batch.concat(this.buffer);
    const excess = merged.length - this.maxBuffered;
    if (excess > 0) {
      merged.splice(0, excess);
      this.drop(excess, 'buffer full while the ledger is failing');
    }
    this.buffer = merged;
  }

  private scheduleNext(ok: boolean): void {
    if (this.closed || this.buffer.length === 0) return;
    if (!ok) this.schedule(this.retryDelay());
    else this.schedule(this.buffer.length >= this.maxBatch ? 0 : this.intervalMs);
  }

  private retryDelay(): number {
    const exponent = Math.max(0, this.consecutiveFailures - 1);
    return Math.min(this.retryMaxDelayMs, this.retryInitialDelayMs * 2 ** Math.min(exponent, 30));
  }

  private schedule(delayMs: number): void {
    this.clearTimer();
    this.timerIsImmediate = delayMs === 0;
    this.cancelTimer = this.scheduler.schedule(() => {
      this.cancelTimer = undefined;
      this.timerIsImmediate = false;
      if (!this.inflight && this.buffer.length > 0) void this.writeBatch();
    }, delayMs);
  }

  private clearTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.timerIsImmediate = false;
  }

  private drop(count: number, reason: string): void {
    const before = this.dropped;
    this.dropped += count;
    // Log the first drop and then once per thousand, not once per row.
    if (before === 0 || Math.floor(before / 1000) !== Math.floor(this.dropped / 1000)) {
      this.logger.warn({ dropped: this.dropped, reason }, 'usage ledger rows dropped');
    }
  }
}
