import { describe, expect, it } from 'vitest';
import type { LedgerRow } from '../../observatory/ledger-row.js';
import { MemoryUsageLedger } from '../../observatory/memory-usage-ledger.js';
import { LedgerSeriesHistory } from './series-history.js';

const start = Date.UTC(2026, 0, 5, 12);

function row(index: number): LedgerRow {
  return { id: `req_${String(index).padStart(5, '0')}`, timestamp: start + index * 100, keyId: 'key_a', dialect: 'openai', operation: 'chat', requestedModel: 'chat', deploymentId: 'dep_a', stream: false, status: 'ok', httpStatus: 200, attempts: [], latencyMs: 50, usageSource: 'none' };
}

describe('LedgerSeriesHistory', () => {
  it('rebuilds the series from ledger rows page by page', async () => {
    const ledger = new MemoryUsageLedger();
    await ledger.append(Array.from({ length: 2500 }, (_, index) => row(index)));
    const buckets = await new LedgerSeriesHistory({ ledger }).bucketsBetween(start, start + 300_000, 60_000);
    expect(buckets.map((bucket) => bucket.bucketStart)).toEqual([start, start + 60_000, start + 120_000, start + 180_000, start + 240_000]);
    const requests = buckets.map((bucket) => bucket.points.find((point) => point.series === 'request_rate|key|key_a')?.value);
    expect(requests).toEqual([600, 600, 600, 600, 100]);
  });

  it('leaves out the buckets a capped read did not cover in full', async () => {
    const ledger = new MemoryUsageLedger();
    await ledger.append(Array.from({ length: 2500 }, (_, index) => row(index)));
    // Newest first: 2,000 rows reach back to index 500 (minute 0 is only partly read).
    const buckets = await new LedgerSeriesHistory({ ledger, maxRows: 2000 }).bucketsBetween(start, start + 300_000, 60_000);
    expect(buckets[0].bucketStart).toBe(start + 60_000);
  });
});
