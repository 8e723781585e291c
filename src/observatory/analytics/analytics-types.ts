import { z } from 'zod';

/** What the overview can be broken down by. */
export const breakdownDimensions = ['model', 'provider', 'key', 'team', 'workspace'] as const;
export type BreakdownDimension = (typeof breakdownDimensions)[number];

/** The most buckets one overview answers with (the chart has no use for more points than pixels). */
export const maximumBuckets = 500;

/** `GET /admin/v1/analytics/overview` query: times are epoch ms; the defaults are the last 24 hours. */
export const overviewQuerySchema = z.strictObject({
  since: z.coerce.number().int().nonnegative().optional(),
  until: z.coerce.number().int().positive().optional(),
  bucketMs: z.coerce.number().int().min(1_000).optional(),
  groupBy: z.enum(breakdownDimensions).optional(),
  workspaceId: z.string().min(1).optional(),
});
export type OverviewQueryInput = z.output<typeof overviewQuerySchema>;

/** Whose requests an overview sums: everything (master key), one organisation or one workspace. */
export type AnalyticsScope = { organisationId?: string; workspaceId?: string };

/** A resolved overview question (see {@link resolveOverviewRange}). */
export interface OverviewQuery {
  since: number;
  until: number;
  bucketMs: number;
  groupBy: BreakdownDimension;
  scope: AnalyticsScope;
}

/** Counters summed over a set of requests. Tokens: input counts cache reads and writes, output counts reasoning. */
const usageTotalsShape = {
  requests: z.number().int(),
  errors: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  costMicros: z.number().int(),
};
export type UsageTotals = z.infer<z.ZodObject<typeof usageTotalsShape>>;

/** Percentiles in ms; null when no request of the set measured it. */
export const percentilesSchema = z.object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() });
export type Percentiles = z.infer<typeof percentilesSchema>;

/** One bucket of the time series, starting at `start` (epoch ms) and `bucketMs` long. */
export const seriesBucketSchema = z.object({ ...usageTotalsShape, start: z.number().int(), latencyMs: percentilesSchema, timeToFirstTokenMs: percentilesSchema });
export type SeriesBucket = z.infer<typeof seriesBucketSchema>;

/** One line of a breakdown: `value` is the model, provider, key, team or workspace id (null: none). */
export const breakdownRowSchema = z.object({ ...usageTotalsShape, value: z.string().nullable() });
export type BreakdownRow = z.infer<typeof breakdownRowSchema>;

/**
 * The dashboard's overview. `source` says where the counters came from: `ledger` (every request row, for
 * ranges up to {@link rollupThresholdMs}) or `rollup` (the daily rollups: whole UTC days, buckets of one day).
 * Percentiles always come from a bounded sample of ledger rows (`sampled` of them; exact while a bucket has
 * fewer rows than the sample takes), so they are empty for days the retention already pruned.
 */
export const analyticsOverviewSchema = z.object({
  since: z.number().int(),
  until: z.number().int(),
  bucketMs: z.number().int(),
  groupBy: z.enum(breakdownDimensions),
  source: z.enum(['ledger', 'rollup']),
  totals: z.object({ ...usageTotalsShape, latencyMs: percentilesSchema, timeToFirstTokenMs: percentilesSchema, sampled: z.number().int() }),
  series: z.array(seriesBucketSchema),
  breakdown: z.array(breakdownRowSchema),
  /** The keys that spent most in the range, most first. */
  topSpenders: z.array(breakdownRowSchema).describe('The keys that spent most in the range, most first.'),
});
export type AnalyticsOverview = z.infer<typeof analyticsOverviewSchema>;

/** Ranges longer than this are answered from the daily rollups. */
export const rollupThresholdMs = 2 * 86_400_000;

const day = 86_400_000;
const niceBuckets = [60_000, 5 * 60_000, 15 * 60_000, 30 * 60_000, 3_600_000, 3 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000, day];

/**
 * Fills in the defaults (last 24 hours; about 60 buckets of a round length) and checks the bounds. Long ranges
 * get day buckets aligned to UTC midnight, as the rollups are.
 */
export function resolveOverviewRange(input: OverviewQueryInput, now: number): { since: number; until: number; bucketMs: number; source: 'ledger' | 'rollup' } | { error: string; param: string } {
  const until = input.until ?? now;
  const since = input.since ?? until - day;
  if (since >= until) return { error: 'since: must be before until', param: 'since' };
  const span = until - since;
  if (span > rollupThresholdMs) {
    const alignedSince = Math.floor(since / day) * day;
    const alignedUntil = Math.ceil(until / day) * day;
    if ((alignedUntil - alignedSince) / day > maximumBuckets) return { error: `since: at most ${maximumBuckets} days`, param: 'since' };
    return { since: alignedSince, until: alignedUntil, bucketMs: day, source: 'rollup' };
  }
  const bucketMs = input.bucketMs ?? niceBuckets.find((length) => span / length <= 60) ?? day;
  if (Math.ceil(span / bucketMs) > maximumBuckets) return { error: `bucketMs: the range would have more than ${maximumBuckets} buckets`, param: 'bucketMs' };
  return { since, until, bucketMs, source: 'ledger' };
}
