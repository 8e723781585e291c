import type { DailyRollupQuery, DailyUsage, LedgerQuery, LedgerRow, SpendScope, UsageRollup, UsageRollupQuery } from './ledger-row.js';

/**
 * The usage ledger port: one row per request, plus daily rollups kept longer than the rows.
 *
 * Contract (checked by `describeUsageLedgerContract` for every implementation):
 * - `append` stores rows and adds them to the daily rollups atomically; a row whose id is already stored is
 *   ignored (so a retried batch does not count twice).
 * - `query` returns rows newest first (by timestamp, then id descending), filtered and paged with `limit`
 *   and the `afterId` / `after` cursors. Unknown figures come back `undefined`.
 * - `dailyRollup` returns totals per UTC day, key, model and provider, ordered by day, key, model, provider.
 * - `rollups` returns totals per UTC day and value of one dimension (key, team, workspace, model, provider),
 *   ordered by day, then value.
 * - `prune` deletes rows older than a timestamp (rollups stay) and returns how many it deleted;
 *   `pruneRollups` deletes rollups of days before a day.
 */
export interface UsageLedger {
  append(rows: LedgerRow[]): Promise<void>;
  query(filter?: LedgerQuery): Promise<LedgerRow[]>;
  dailyRollup(filter?: DailyRollupQuery): Promise<DailyUsage[]>;
  rollups(filter: UsageRollupQuery): Promise<UsageRollup[]>;
  /**
   * The cost of a scope's requests with `since <= timestamp < until`, in micro-dollars (unknown costs count 0).
   * Budgets seed their counters from it after a restart.
   */
  spentMicros(scope: SpendScope, since: number, until: number): Promise<number>;
  /**
   * Deletes rows with `timestamp < olderThan` (epoch ms), oldest first, at most `limit` of them when given
   * (the retention job deletes in bounded batches); returns the count.
   */
  prune(olderThan: number, limit?: number): Promise<number>;
  /**
   * Deletes the rollups (both kinds) of the oldest stored day before `beforeDay` (`YYYY-MM-DD`): one day a
   * call, so each statement stays small. Returns the count, 0 when no such day is left.
   */
  pruneRollups(beforeDay: string): Promise<number>;
}
