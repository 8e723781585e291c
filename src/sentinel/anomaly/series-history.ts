import type { UsageLedger } from '../../observatory/usage-ledger.js';
import { maximumQueryLimit } from '../../observatory/ledger-row.js';
import type { BucketedHistory } from './anomaly-model.js';
import { SeriesAggregator } from './series-aggregator.js';

/** Where training reads the past from: closed buckets of every series in `[from, until)`, oldest first. */
export interface SeriesHistory {
  bucketsBetween(from: number, until: number, bucketMs: number): Promise<BucketedHistory>;
}

/** Options of {@link LedgerSeriesHistory}. */
export interface LedgerSeriesHistoryOptions {
  ledger: Pick<UsageLedger, 'query'>;
  /** Reading stops after this many rows (the newest are read first), so a busy gateway trains on a bounded read. */
  maxRows?: number;
}

/**
 * Rebuilds the series from the usage ledger's rows, through the same aggregation the live monitor uses, so a
 * baseline is fitted to exactly what will be judged. Rows are read in pages of the ledger's query limit.
 */
export class LedgerSeriesHistory implements SeriesHistory {
  readonly #ledger: Pick<UsageLedger, 'query'>;
  readonly #maxRows: number;

  constructor(options: LedgerSeriesHistoryOptions) {
    this.#ledger = options.ledger;
    this.#maxRows = options.maxRows ?? 2_000_000;
  }

  async bucketsBetween(from: number, until: number, bucketMs: number): Promise<BucketedHistory> {
    const aggregator = new SeriesAggregator({ bucketMs });
    let read = 0;
    let after: { timestamp: number; id: string } | undefined;
    let complete = false;
    while (read < this.#maxRows) {
      const page = await this.#ledger.query({ since: from, until, limit: maximumQueryLimit, ...(after === undefined ? {} : { after }) });
      for (const row of page) aggregator.add(row);
      read += page.length;
      if (page.length < maximumQueryLimit) {
        complete = true;
        break;
      }
      const last = page[page.length - 1];
      after = { timestamp: last.timestamp, id: last.id };
    }
    // Rows come newest first: when the row cap stopped the read, buckets up to the oldest row read are
    // incomplete and are left out.
    const firstComplete = complete || after === undefined ? from : after.timestamp - (after.timestamp % bucketMs) + bucketMs;
    return aggregator.drain(until).filter((bucket) => bucket.bucketStart >= firstComplete);
  }
}
