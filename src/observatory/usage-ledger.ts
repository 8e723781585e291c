import type { DailyRollupQuery, DailyUsage, LedgerQuery, LedgerRow, SpendScope } from './ledger-row.js';

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
  /**
   * The cost of a scope's requests with `since <= timestamp < until`, in micro-dollars (unknown costs count 0).
   * Budgets seed their counters from it after a restart.
   */
  spentMicros(scope: SpendScope, since: number, until: number): Promise<number>;
  /** Deletes rows with `timestamp < olderThan` (epoch ms); returns the count. */
  prune(olderThan: number): Promise<number>;
}
