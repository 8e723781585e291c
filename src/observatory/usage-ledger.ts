import type { DailyRollupQuery, DailyUsage, LedgerQuery, LedgerRow } from './ledger-row.js';

/**
 * The usage ledger port: one row per request, plus daily rollups kept longer than the rows.
 *
 * Contract (checked by `describeUsageLedgerContract` for every implementation):
 * - `append` stores rows and adds them to the daily rollup atomically; a row whose id is already stored is
 *   ignored (so a retried batch does not count twice).
 * - `query` returns rows newest first (by timestamp, then id descending), filtered and paged with `limit`
 *   and the `afterId` cursor. Unknown figures come back `undefined`.
 * - `dailyRollup` returns totals per UTC day, key, model and provider, ordered by day, key, model, provider.
 * - `prune` deletes rows older than a timestamp (rollups stay) and returns how many it deleted.
 */
export interface UsageLedger {
  append(rows: LedgerRow[]): Promise<void>;
  query(filter?: LedgerQuery): Promise<LedgerRow[]>;
  dailyRollup(filter?: DailyRollupQuery): Promise<DailyUsage[]>;
  /** Deletes rows with `timestamp < olderThan` (epoch ms); returns the count. */
  prune(olderThan: number): Promise<number>;
}
