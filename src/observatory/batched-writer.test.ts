import { describe, expect, it, vi } from 'vitest';
import type { Logger } from '../spec/index.js';
import { BatchedLedgerWriter } from './batched-writer.js';
import { unrefTimerScheduler, type FlushScheduler } from './flush-scheduler.js';
import type { LedgerRow } from './ledger-row.js';
import { MemoryUsageLedger } from './memory-usage-ledger.js';
import { ledgerRow } from './usage-ledger-contract.js';
import type { UsageLedger } from './usage-ledger.js';

/** A scheduler the test advances by hand. */
class ManualScheduler implements FlushScheduler {
  pending: Array<{ callback: () => void; delayMs: number }> = [];

  schedule(callback: () => void, delayMs: number): () => void {
    const task = { callback, delayMs };
    this.pending.push(task);
    return () => {
      this.pending = this.pending.filter((entry) => entry !== task);
    };
  }

  /** Runs the pending timer (there is at most one) and lets the append it starts settle. */
  async fire(): Promise<number> {
    expect(this.pending.length).toBe(1);
    const [task] = this.pending;
    this.pending = [];
    task.callback();
    await settle();
    return task.delayMs;
  }
}

async function settle(): Promise<void> {
  for (let turn = 0; turn < 10; turn += 1) await Promise.resolve();
}

function rows(count: number, prefix = 'w'): LedgerRow[] {
  return Array.from({ length: count }, (_, index) => ledgerRow({ id: `${prefix}${String(index).padStart(4, '0')}` }));
}

/** A ledger that fails while `failing` is set and records every batch it was given. */
class FlakyLedger implements UsageLedger {
  failing = false;
  readonly batches: string[][] = [];
  private readonly inner = new MemoryUsageLedger();

  async append(batch: LedgerRow[]): Promise<void> {
    this.batches.push(batch.map((row) => row.id));
    if (this.failing) throw new Error('database is locked');
    await this.inner.append(batch);
  }
  query = (filter?: Parameters<UsageLedger['query']>[0]) => this.inner.query({ limit: 1000, ...filter });
  dailyRollup = () => this.inner.dailyRollup();
  prune = (olderThan: number) => this.inner.prune(olderThan);
  rollups: UsageLedger['rollups'] = (filter) => this.inner.rollups(filter);
  pruneRollups = (beforeDay: string) => this.inner.pruneRollups(beforeDay);
  spentMicros: UsageLedger['spentMicros'] = (scope, since, until) => this.inner.spentMicros(scope, since, until);
}

function recordingLogger(): Logger & { entries: Array<{ level: string; message?: string; object: Record<string, unknown> }> } {
  const entries: Array<{ level: string; message?: string; object: Record<string, unknown> }> = [];
  const logger = {
    entries,
    debug: (object: Record<string, unknown>, message?: string) => entries.push({ level: 'debug', object, message }),
    info: (object: Record<string, unknown>, message?: string) => entries.push({ level: 'info', object, message }),
    warn: (object: Record<string, unknown>, message?: string) => entries.push({ level: 'warn', object, message }),
    error: (object: Record<string, unknown>, message?: string) => entries.push({ level: 'error', object, message }),
    child: () => logger,
  };
  return logger;
}

describe('BatchedLedgerWriter', () => {
  it('buffers synchronously and flushes after the interval', async () => {
    const ledger = new FlakyLedger();
    const scheduler = new ManualScheduler();
    const writer = new BatchedLedgerWriter({ ledger, scheduler });
    for (const row of rows(3)) writer.write(row);
    expect(ledger.batches).toEqual([]);
    expect(writer.stats().buffered).toBe(3);
    expect(scheduler.pending.map((task) => task.delayMs)).toEqual([50]);
    await scheduler.fire();
    expect(ledger.batches).toEqual([['w0000', 'w0001', 'w0002']]);
    expect(writer.stats()).toEqual({ buffered: 0, written: 3, dropped: 0, failedFlushes: 0 });
    expect(scheduler.pending).toEqual([]);
  });

  it('flushes at once when a batch is full, in batches of maxBatch', async () => {
    const ledger = new FlakyLedger();
    const scheduler = new ManualScheduler();
    const writer = new BatchedLedgerWriter({ ledger, scheduler, maxBatch: 4, intervalMs: 20 });
    for (const row of rows(10)) writer.write(row);
    expect(scheduler.pending.map((task) => task.delayMs)).toEqual([0]);
    await scheduler.fire();
    expect(ledger.batches.map((batch) => batch.length)).toEqual([4]);
    // 6 left: still a full batch, so the next one starts at once, then the rest after the interval.
    expect(await scheduler.fire()).toBe(0);
    expect(await scheduler.fire()).toBe(20);
    expect(ledger.batches.map((batch) => batch.length)).toEqual([4, 4, 2]);
    expect((await ledger.query()).length).toBe(10);
  });

  it('keeps rows through failures, retrying with capped exponential backoff, in order', async () => {
    const ledger = new FlakyLedger();
    const scheduler = new ManualScheduler();
    const logger = recordingLogger();
    const writer = new BatchedLedgerWriter({
      ledger,
      scheduler,
      logger,
      retryInitialDelayMs: 100,
      retryMaxDelayMs: 350,
    });
    ledger.failing = true;
    writer.write(rows(1, 'a')[0]);
    await scheduler.fire();
    expect(writer.stats()).toMatchObject({ buffered: 1, written: 0, failedFlushes: 1 });
    writer.write(rows(1, 'b')[0]);
    const delays = [await scheduler.fire(), await scheduler.fire(), await scheduler.fire()];
    expect(delays).toEqual([100, 200, 350]);
    expect(logger.entries.filter((entry) => entry.level === 'error').length).toBe(4);
    expect(JSON.stringify(logger.entries)).toContain('database is locked');
    ledger.failing = false;
    expect(await scheduler.fire()).toBe(350);
    expect((await ledger.query()).map((row) => row.id).sort()).toEqual(['a0000', 'b0000']);
    expect(ledger.batches.at(-1)).toEqual(['a0000', 'b0000']);
    expect(writer.stats()).toEqual({ buffered: 0, written: 2, dropped: 0, failedFlushes: 4 });
    // Success resets the backoff.
    writer.write(rows(1, 'c')[0]);
    expect(scheduler.pending.map((task) => task.delayMs)).toEqual([50]);
  });

  it('drops and counts rows only beyond the hard limit, and logs it', async () => {
    const ledger = new FlakyLedger();
    const scheduler = new ManualScheduler();
    const logger = recordingLogger();
    const writer = new BatchedLedgerWriter({ ledger, scheduler, logger, maxBatch: 2, maxBuffered: 5 });
    ledger.failing = true;
    for (const row of rows(7)) writer.write(row);
    expect(writer.stats()).toMatchObject({ buffered: 5, dropped: 2 });
    expect(logger.entries.filter((entry) => entry.level === 'warn').length).toBe(1);
    ledger.failing = false;
    await writer.flush();
    expect((await ledger.query()).map((row) => row.id).sort()).toEqual(['w0000', 'w0001', 'w0002', 'w0003', 'w0004']);
  });

  it('flush() writes everything now and rejects while the ledger fails', async () => {
    const ledger = new FlakyLedger();
    const scheduler = new ManualScheduler();
    const writer = new BatchedLedgerWriter({ ledger, scheduler, maxBatch: 3 });
    for (const row of rows(2)) writer.write(row);
    ledger.failing = true;
    await expect(writer.flush()).rejects.toThrow('database is locked');
    expect(writer.stats().buffered).toBe(2);
    ledger.failing = false;
    for (const row of rows(5, 'x')) writer.write(row);
    await writer.flush();
    expect(writer.stats()).toMatchObject({ buffered: 0, written: 7 });
    expect((await ledger.query()).length).toBe(7);
  });

  it('flush() waits for an append that is already running', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inner = new MemoryUsageLedger();
    const slowLedger: UsageLedger = {
      append: async (batch) => {
        await gate;
        await inner.append(batch);
      },
      query: (filter) => inner.query(filter),
      dailyRollup: (filter) => inner.dailyRollup(filter),
      prune: (olderThan) => inner.prune(olderThan),
      rollups: (filter) => inner.rollups(filter),
      pruneRollups: (beforeDay) => inner.pruneRollups(beforeDay),
      spentMicros: (scope, since, until) => inner.spentMicros(scope, since, until),
    };
    const scheduler = new ManualScheduler();
    const writer = new BatchedLedgerWriter({ ledger: slowLedger, scheduler });
    writer.write(rows(1)[0]);
    scheduler.pending[0].callback();
    writer.write(rows(1, 'late')[0]);
    const flushed = writer.flush();
    release();
    await flushed;
    expect((await inner.query()).map((row) => row.id).sort()).toEqual(['late0000', 'w0000']);
  });

  it('close() writes what is left, stops the timer and counts later writes as dropped', async () => {
    const ledger = new FlakyLedger();
    const scheduler = new ManualScheduler();
    const writer = new BatchedLedgerWriter({ ledger, scheduler });
    for (const row of rows(3)) writer.write(row);
    await writer.close();
    expect(scheduler.pending).toEqual([]);
    expect((await ledger.query()).length).toBe(3);
    writer.write(rows(1, 'after')[0]);
    expect(writer.stats()).toMatchObject({ buffered: 0, dropped: 1 });
  });

  it('close() gives up after its attempts when the ledger keeps failing, and says so', async () => {
    const ledger = new FlakyLedger();
    ledger.failing = true;
    const logger = recordingLogger();
    const writer = new BatchedLedgerWriter({ ledger, scheduler: new ManualScheduler(), logger, closeAttempts: 2 });
    for (const row of rows(4)) writer.write(row);
    await writer.close();
    expect(ledger.batches.length).toBe(2);
    expect(writer.stats()).toMatchObject({ buffered: 0, dropped: 4 });
    expect(logger.entries.some((entry) => entry.message?.includes('lost at shutdown') && entry.object.lost === 4)).toBe(true);
  });

  it('uses unref()ed timers by default', () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    try {
      const cancel = unrefTimerScheduler.schedule(() => undefined, 50);
      const timer = spy.mock.results[0].value as NodeJS.Timeout;
      expect(timer.hasRef()).toBe(false);
      cancel();
    } finally {
      spy.mockRestore();
    }
  });
});
