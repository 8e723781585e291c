import { describe, expect, it } from 'vitest';
import { openSqliteTestDatabase } from '../../../test/support/sqlite-test-database.js';
import { FakeClock } from '../../gateway/routing/test-support/fake-clock.js';
import type { FlushScheduler } from '../flush-scheduler.js';
import { MemoryUsageLedger } from '../memory-usage-ledger.js';
import { MemoryPayloadStore } from '../payloads/memory-payload-store.js';
import type { PayloadStore } from '../payloads/payload-store.js';
import { SqlPayloadStore } from '../payloads/sql-payload-store.js';
import { SqlUsageLedger } from '../sql-usage-ledger.js';
import { ledgerRow } from '../usage-ledger-contract.js';
import type { UsageLedger } from '../usage-ledger.js';
import { RetentionJob, retentionPolicyOf } from './retention-job.js';

const dayMs = 86_400_000;
const now = Date.UTC(2026, 10, 27, 12);

class ManualScheduler implements FlushScheduler {
  pending: Array<{ callback: () => void; delayMs: number }> = [];
  schedule(callback: () => void, delayMs: number): () => void {
    const entry = { callback, delayMs };
    this.pending.push(entry);
    return () => {
      this.pending = this.pending.filter((other) => other !== entry);
    };
  }
  runNext(): void {
    const entry = this.pending.shift();
    entry?.callback();
  }
}

async function seed(ledger: UsageLedger, payloads: PayloadStore): Promise<void> {
  const ages = [400, 100, 99, 40, 39, 10];
  await ledger.append(ages.map((age) => ledgerRow({ id: `age-${age}`, timestamp: now - age * dayMs })));
  await payloads.append(
    ages.map((age) => ({
      requestId: `age-${age}`, timestamp: now - age * dayMs, mode: 'full' as const, metadata: { age: String(age) }, requestBytes: 2, responseBytes: 2,
      messageCount: 1, truncated: false, requestText: '{}', responseText: 'ok', searchText: 'ok',
    })),
  );
}

for (const [name, open] of [
  ['memory', async () => { const payloads = new MemoryPayloadStore(); return { ledger: new MemoryUsageLedger({ payloads }) as UsageLedger, payloads: payloads as PayloadStore, dispose: async () => undefined }; }],
  ['SQLite', async () => { const { database, dispose } = await openSqliteTestDatabase('retention'); return { ledger: new SqlUsageLedger(database) as UsageLedger, payloads: new SqlPayloadStore(database) as PayloadStore, dispose }; }],
] as const) {
  describe(`RetentionJob on ${name}`, () => {
    it('keeps payloads shorter than rows and rollups longest, deleting in bounded batches as the clock moves', async () => {
      const { ledger, payloads, dispose } = await open();
      try {
        await seed(ledger, payloads);
        const clock = new FakeClock(now);
        let pauses = 0;
        const job = new RetentionJob({ ledger, payloads, clock, policy: { requestsDays: 60, payloadsDays: 30, rollupsDays: 365 }, batchSize: 2, pause: async () => void (pauses += 1) });
        const report = await job.runOnce();
        expect(report).toMatchObject({ requests: 3, payloads: 5, metadata: 3 });
        expect(report.rollups).toBeGreaterThan(0);
        // Batches of at most 2 rows: 3 payload batches, 2 metadata, 2 row batches, 1 rollup day.
        expect(report.batches).toBe(8);
        expect(pauses).toBe(8);
        expect((await ledger.query()).map((row) => row.id)).toEqual(['age-10', 'age-39', 'age-40']);
        expect(await payloads.get('age-40')).toBeUndefined();
        expect(await payloads.get('age-10')).toMatchObject({ response: { text: 'ok' } });
        expect(await payloads.metadataOf('age-40')).toEqual({ age: '40' });
        expect(await payloads.metadataOf('age-99')).toEqual({});
        // The 400-day-old rollup is gone; the 100-day-old rows are still counted in theirs.
        const days = (await ledger.rollups({ groupBy: 'model' })).map((rollup) => rollup.day);
        expect(days).toEqual([now - 100 * dayMs, now - 99 * dayMs, now - 40 * dayMs, now - 39 * dayMs, now - 10 * dayMs].map((time) => new Date(time).toISOString().slice(0, 10)));

        clock.advance(21 * dayMs);
        expect(await job.runOnce()).toMatchObject({ requests: 1, payloads: 1, metadata: 1 });
        expect((await ledger.query()).map((row) => row.id)).toEqual(['age-10', 'age-39']);
        expect(await job.runOnce()).toMatchObject({ requests: 0, payloads: 0, metadata: 0, rollups: 0, batches: 0 });
      } finally {
        await dispose();
      }
    });

    it('stops after maxBatchesPerRun and picks up the rest on the next scheduled pass', async () => {
      const { ledger, payloads, dispose } = await open();
      try {
        await ledger.append(Array.from({ length: 7 }, (_, index) => ledgerRow({ id: `old-${index}`, timestamp: now - 90 * dayMs + index })));
        const clock = new FakeClock(now);
        const scheduler = new ManualScheduler();
        const job = new RetentionJob({ ledger, clock, policy: { requestsDays: 30, payloadsDays: 7, rollupsDays: 365 }, batchSize: 2, maxBatchesPerRun: 2, scheduler, pause: async () => undefined });
        await job.start(3_600_000);
        expect((await ledger.query()).length).toBe(3);
        expect(scheduler.pending.map((entry) => entry.delayMs)).toEqual([3_600_000]);
        scheduler.runNext();
        // The scheduled pass is the one in progress: runOnce shares it.
        await job.runOnce();
        await job.stop();
        expect((await ledger.query()).length).toBe(0);
        expect(scheduler.pending).toEqual([]);
      } finally {
        await dispose();
      }
    });
  });
}

describe('retentionPolicyOf', () => {
  it('reads ledger.retention, falls back to retentionDays for rows, and never keeps payloads longer than rows', () => {
    expect(retentionPolicyOf({ retentionDays: 90 })).toEqual({ requestsDays: 90, payloadsDays: 30, rollupsDays: 730 });
    expect(retentionPolicyOf({ retentionDays: 90, retention: { requestsDays: 14 } })).toEqual({ requestsDays: 14, payloadsDays: 14, rollupsDays: 730 });
    expect(retentionPolicyOf({ retentionDays: 90, retention: { payloadsDays: 7, rollupsDays: 400 } })).toEqual({ requestsDays: 90, payloadsDays: 7, rollupsDays: 400 });
  });
});
