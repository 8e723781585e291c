import { dayOf, rollupDimensions, rollupValueOf, type LedgerRow, type RollupDimension, type UsageRollup } from './ledger-row.js';

/** The counters of a `usage_daily` row. */
export const usageCounterColumns = ['requests', 'errors', 'input_tokens', 'cache_read_tokens', 'cache_write_tokens', 'output_tokens', 'reasoning_tokens', 'cost_micros'] as const;

/** The counters of a `usage_rollups` row. */
export const rollupCounters = [...usageCounterColumns, 'latency_ms_total'] as const;

/** What a batch of rows adds to one `usage_rollups` row (its key columns and its counters). */
export type RollupDelta = { day: string; dimension: RollupDimension; value: string; organisation_id: string; workspace_id: string } & {
  [counter in (typeof rollupCounters)[number]]: number;
};

/** The counters both rollup tables share, in their column names. */
export type UsageCounters = Record<(typeof usageCounterColumns)[number], number>;

/** Adds one row to rollup counters (unknown figures count 0). */
export function addRowToCounters(counters: UsageCounters, row: LedgerRow): void {
  counters.requests += 1;
  if (row.status === 'error') counters.errors += 1;
  counters.input_tokens += row.inputTokens ?? 0;
  counters.cache_read_tokens += row.cacheReadTokens ?? 0;
  counters.cache_write_tokens += row.cacheWriteTokens ?? 0;
  counters.output_tokens += row.outputTokens ?? 0;
  counters.reasoning_tokens += row.reasoningTokens ?? 0;
  counters.cost_micros += row.costMicros ?? 0;
}

/** The key columns of `usage_rollups`. */
export const rollupKeyColumns = ['dimension', 'day', 'value', 'organisation_id', 'workspace_id'] as const;

/**
 * Folds rows into rollup deltas: one per day, dimension, value and workspace touched. Kept per workspace so
 * a workspace's viewers can read their own; queries sum over the workspaces a caller may see.
 */
export function rollupDeltas(rows: readonly LedgerRow[]): RollupDelta[] {
  const deltas = new Map<string, RollupDelta>();
  for (const row of rows) {
    const day = dayOf(row.timestamp);
    const organisation = row.organisationId ?? '';
    const workspace = row.workspaceId ?? '';
    for (const dimension of rollupDimensions) {
      const value = rollupValueOf(row, dimension);
      const mapKey = `${dimension}\u0000${day}\u0000${value}\u0000${organisation}\u0000${workspace}`;
      let delta = deltas.get(mapKey);
      if (delta === undefined) {
        delta = { day, dimension, value, organisation_id: organisation, workspace_id: workspace } as RollupDelta;
        for (const counter of rollupCounters) delta[counter] = 0;
        deltas.set(mapKey, delta);
      }
      addRowToCounters(delta, row);
      delta.latency_ms_total += row.latencyMs;
    }
  }
  return [...deltas.values()];
}

/** A summed rollup row (numbers may arrive as strings from PostgreSQL) as the API shows it. */
export function toUsageRollup(groupBy: RollupDimension, row: { day: string; value: string } & Record<(typeof rollupCounters)[number], unknown>): UsageRollup {
  const rollup: UsageRollup = {
    day: row.day,
    groupBy,
    requests: Number(row.requests),
    errors: Number(row.errors),
    inputTokens: Number(row.input_tokens),
    cacheReadTokens: Number(row.cache_read_tokens),
    cacheWriteTokens: Number(row.cache_write_tokens),
    outputTokens: Number(row.output_tokens),
    reasoningTokens: Number(row.reasoning_tokens),
    costMicros: Number(row.cost_micros),
    latencyMsTotal: Number(row.latency_ms_total),
  };
  if (row.value !== '') rollup.value = row.value;
  return rollup;
}
