import type { LedgerRow } from '../ledger-row.js';
import type { AlertDimension } from './alert-rule.js';
import { histogramBinOf, histogramBins, histogramQuantile } from './latency-histogram.js';

/** What one time bucket of one series adds up. */
export interface Bucket {
  index: number;
  requests: number;
  errors: number;
  costMicros: number;
  latencySum: number;
  latencyHistogram: Uint32Array;
  ttftCount: number;
  ttftSum: number;
  ttftHistogram?: Uint32Array;
  /** The highest budget threshold (percent) crossed in the bucket, 0 when none. */
  budgetThreshold: number;
  budgetId?: string;
}

/** The buckets of one group (e.g. organisation A, model gpt-4o), oldest dropped by {@link RequestWindow.prune}. */
class Series {
  readonly buckets = new Map<number, Bucket>();
  /** The bucket written last: nearly every request lands in the same one as the previous request. */
  last: Bucket | undefined;

  bucket(index: number): Bucket {
    const last = this.last;
    if (last !== undefined && last.index === index) return last;
    let bucket = this.buckets.get(index);
    if (bucket === undefined) {
      bucket = { index, requests: 0, errors: 0, costMicros: 0, latencySum: 0, latencyHistogram: new Uint32Array(histogramBins), ttftCount: 0, ttftSum: 0, budgetThreshold: 0 };
      this.buckets.set(index, bucket);
    }
    this.last = bucket;
    return bucket;
  }
}

/** A group's figures over a window. Rates and latencies are undefined when there was no request. */
export interface WindowSummary {
  requests: number;
  errors: number;
  costMicros: number;
  errorRate?: number;
  latencyMeanMs?: number;
  latencyP95Ms?: number;
  ttftCount: number;
  ttftMeanMs?: number;
  ttftP95Ms?: number;
  /** Highest budget threshold crossed in the window (0 when none) and the budget that crossed it. */
  budgetThreshold: number;
  budgetId?: string;
}

/** The empty summary: a group with no traffic in the window. */
export const emptySummary: WindowSummary = Object.freeze({ requests: 0, errors: 0, costMicros: 0, ttftCount: 0, budgetThreshold: 0 });

/**
 * Whose traffic a series counts: everyone's (rules of the config file), one organisation's, or one
 * workspace's (a rule owned by a workspace sees only that workspace's requests).
 */
export type OwnerKind = 'everyone' | 'organisation' | 'workspace';

export interface WindowOwner {
  kind: OwnerKind;
  /** The organisation or workspace id; '' for everyone. */
  id: string;
}

/** A budget threshold crossing, with the subject it was charged to. */
export interface BudgetCrossingSample {
  budgetId: string;
  /** The threshold crossed, in percent of the limit as configured on the budget (80). */
  threshold: number;
  atMs: number;
  organisationId?: string;
  workspaceId?: string;
  teamId?: string;
  keyId?: string;
}

/** Which dimensions are counted, for everyone and per organisation: only those some rule reads. */
export const ownerKinds: readonly OwnerKind[] = ['everyone', 'organisation', 'workspace'];

export type TrackedDimensions = Record<OwnerKind, ReadonlySet<AlertDimension>>;


/** What the alert evaluator reads its figures from: one replica's window, or one shared by all replicas. */
export interface AlertWindow {
  /** Sets which dimensions are counted (the evaluator derives them from its rules). */
  track(tracked: TrackedDimensions): void;
  /** Adds a finished request. */
  record(row: LedgerRow): void;
  recordBudgetCrossing(crossing: BudgetCrossingSample): void;
  valuesOf(owner: WindowOwner, dimension: AlertDimension): string[];
  summarise(owner: WindowOwner, dimension: AlertDimension, value: string, nowMs: number, windowMs: number): WindowSummary;
  /** Drops what no rule window reaches any more. */
  prune(nowMs: number, keepMs: number): void;
  /**
   * Brings the figures up to date before an evaluation (a shared window exchanges its counts with the other
   * replicas here); when it fails, the evaluation is skipped.
   */
  refresh?(nowMs: number, keepMs: number): Promise<void>;
}

/**
 * Counts requests in time buckets per group, for the alert evaluator: O(1) per request (a few map lookups
 * and additions per tracked dimension), no per-request storage, memory bounded by groups x buckets in the
 * longest window. Series are nested owner -> dimension -> value, so a request costs no string building.
 */
export class RequestWindow implements AlertWindow {
  readonly #series: Record<OwnerKind, Map<string, Map<AlertDimension, Map<string, Series>>>> = { everyone: new Map(), organisation: new Map(), workspace: new Map() };
  #tracked: TrackedDimensions = { everyone: new Set(), organisation: new Set(), workspace: new Set() };

  constructor(readonly bucketMs: number) {}

  /** Sets which dimensions are counted (the evaluator derives them from its rules); series no rule reads go. */
  track(tracked: TrackedDimensions): void {
    this.#tracked = tracked;
    for (const kind of ownerKinds) {
      for (const byDimension of this.#series[kind].values()) {
        for (const dimension of byDimension.keys()) if (!tracked[kind].has(dimension)) byDimension.delete(dimension);
      }
    }
  }

  /** Adds a finished request (on the request's turn: no closures, no string building). */
  record(row: LedgerRow): void {
    const index = Math.floor(row.timestamp / this.bucketMs);
    const latencyBin = histogramBinOf(row.latencyMs);
    const ttftBin = row.timeToFirstTokenMs === undefined ? -1 : histogramBinOf(row.timeToFirstTokenMs);
    const tracked = this.#tracked;
    if (tracked.everyone.size > 0) this.#recordFor('everyone', '', row, index, latencyBin, ttftBin);
    if (row.organisationId !== undefined && tracked.organisation.size > 0) this.#recordFor('organisation', row.organisationId, row, index, latencyBin, ttftBin);
    if (row.workspaceId !== undefined && tracked.workspace.size > 0) this.#recordFor('workspace', row.workspaceId, row, index, latencyBin, ttftBin);
  }

  #recordFor(kind: OwnerKind, id: string, row: LedgerRow, index: number, latencyBin: number, ttftBin: number): void {
    const dimensions = this.#tracked[kind];
    const byDimension = this.#ownerSeries(kind, id);
    for (const dimension of dimensions) {
      const value = valueOf(dimension, row);
      if (value === undefined) continue;
      const bucket = seriesOf(byDimension, dimension, value).bucket(index);
      bucket.requests += 1;
      if (row.status === 'error') bucket.errors += 1;
      if (row.costMicros !== undefined) bucket.costMicros += row.costMicros;
      bucket.latencySum += row.latencyMs;
      bucket.latencyHistogram[latencyBin] += 1;
      if (ttftBin >= 0) {
        bucket.ttftCount += 1;
        bucket.ttftSum += row.timeToFirstTokenMs as number;
        (bucket.ttftHistogram ??= new Uint32Array(histogramBins))[ttftBin] += 1;
      }
    }
  }

  /** Adds a budget threshold crossing to the groups of the subject it was charged to (rare: a closure is fine). */
  recordBudgetCrossing(crossing: BudgetCrossingSample): void {
    const index = Math.floor(crossing.atMs / this.bucketMs);
    const values: Partial<Record<AlertDimension, string>> = { all: '', key: crossing.keyId, team: crossing.teamId, workspace: crossing.workspaceId };
    const owners: WindowOwner[] = [{ kind: 'everyone', id: '' }];
    if (crossing.organisationId !== undefined) owners.push({ kind: 'organisation', id: crossing.organisationId });
    if (crossing.workspaceId !== undefined) owners.push({ kind: 'workspace', id: crossing.workspaceId });
    for (const owner of owners) {
      for (const dimension of this.#tracked[owner.kind]) {
        const value = values[dimension];
        if (value === undefined) continue;
        const bucket = seriesOf(this.#ownerSeries(owner.kind, owner.id), dimension, value).bucket(index);
        if (crossing.threshold > bucket.budgetThreshold) {
          bucket.budgetThreshold = crossing.threshold;
          bucket.budgetId = crossing.budgetId;
        }
      }
    }
  }

  #ownerSeries(kind: OwnerKind, id: string): Map<AlertDimension, Map<string, Series>> {
    const owners = this.#series[kind];
    let byDimension = owners.get(id);
    if (byDimension === undefined) owners.set(id, (byDimension = new Map()));
    return byDimension;
  }

  /** The values of a dimension that had traffic (for rules that alert per model, per key, ...). */
  valuesOf(owner: WindowOwner, dimension: AlertDimension): string[] {
    return [...(this.#series[owner.kind].get(owner.id)?.get(dimension)?.keys() ?? [])];
  }

  /** One group's figures over the `windowMs` up to `nowMs` (whole buckets: the window is rounded to them). */
  summarise(owner: WindowOwner, dimension: AlertDimension, value: string, nowMs: number, windowMs: number): WindowSummary {
    const series = this.#series[owner.kind].get(owner.id)?.get(dimension)?.get(value);
    if (series === undefined) return emptySummary;
    const first = Math.floor((nowMs - windowMs) / this.bucketMs) + 1;
    const last = Math.floor(nowMs / this.bucketMs);
    let requests = 0;
    let errors = 0;
    let costMicros = 0;
    let latencySum = 0;
    let ttftCount = 0;
    let ttftSum = 0;
    let budgetThreshold = 0;
    let budgetId: string | undefined;
    const latencies: Uint32Array[] = [];
    const ttfts: Uint32Array[] = [];
    for (const bucket of series.buckets.values()) {
      if (bucket.index < first || bucket.index > last) continue;
      requests += bucket.requests;
      errors += bucket.errors;
      costMicros += bucket.costMicros;
      latencySum += bucket.latencySum;
      if (bucket.requests > 0) latencies.push(bucket.latencyHistogram);
      ttftCount += bucket.ttftCount;
      ttftSum += bucket.ttftSum;
      if (bucket.ttftHistogram !== undefined) ttfts.push(bucket.ttftHistogram);
      if (bucket.budgetThreshold > budgetThreshold) {
        budgetThreshold = bucket.budgetThreshold;
        budgetId = bucket.budgetId;
      }
    }
    return {
      requests,
      errors,
      costMicros,
      ...(requests === 0 ? {} : { errorRate: errors / requests, latencyMeanMs: latencySum / requests, latencyP95Ms: histogramQuantile(latencies, 0.95) }),
      ttftCount,
      ...(ttftCount === 0 ? {} : { ttftMeanMs: ttftSum / ttftCount, ttftP95Ms: histogramQuantile(ttfts, 0.95) }),
      budgetThreshold,
      ...(budgetId === undefined ? {} : { budgetId }),
    };
  }

  /** Every bucket with its series, for copying the window elsewhere (the shared window's export). */
  *buckets(): Generator<{ owner: WindowOwner; dimension: AlertDimension; value: string; bucket: Readonly<Bucket> }> {
    for (const kind of ownerKinds) {
      for (const [id, byDimension] of this.#series[kind]) {
        for (const [dimension, byValue] of byDimension) {
          for (const [value, series] of byValue) for (const bucket of series.buckets.values()) yield { owner: { kind, id }, dimension, value, bucket };
        }
      }
    }
  }

  /** Adds a bucket's figures as they were counted elsewhere (another replica), whatever the tracked dimensions. */
  addBucket(owner: WindowOwner, dimension: AlertDimension, value: string, figures: Readonly<Bucket>): void {
    const bucket = seriesOf(this.#ownerSeries(owner.kind, owner.id), dimension, value).bucket(figures.index);
    bucket.requests += figures.requests;
    bucket.errors += figures.errors;
    bucket.costMicros += figures.costMicros;
    bucket.latencySum += figures.latencySum;
    for (let bin = 0; bin < histogramBins; bin += 1) bucket.latencyHistogram[bin] += figures.latencyHistogram[bin]!;
    bucket.ttftCount += figures.ttftCount;
    bucket.ttftSum += figures.ttftSum;
    if (figures.ttftHistogram !== undefined) {
      const histogram = (bucket.ttftHistogram ??= new Uint32Array(histogramBins));
      for (let bin = 0; bin < histogramBins; bin += 1) histogram[bin] += figures.ttftHistogram[bin]!;
    }
    if (figures.budgetThreshold > bucket.budgetThreshold) {
      bucket.budgetThreshold = figures.budgetThreshold;
      bucket.budgetId = figures.budgetId;
    }
  }

  /** Drops buckets that ended more than `keepMs` before `nowMs`, and groups left without any. */
  prune(nowMs: number, keepMs: number): void {
    const oldest = Math.floor((nowMs - keepMs) / this.bucketMs);
    for (const owners of Object.values(this.#series)) {
      for (const [owner, byDimension] of owners) {
        for (const [dimension, byValue] of byDimension) {
          for (const [value, series] of byValue) {
            for (const index of series.buckets.keys()) if (index < oldest) series.buckets.delete(index);
            if (series.last !== undefined && series.last.index < oldest) series.last = undefined;
            if (series.buckets.size === 0) byValue.delete(value);
          }
          if (byValue.size === 0) byDimension.delete(dimension);
        }
        if (byDimension.size === 0) owners.delete(owner);
      }
    }
  }
}

function valueOf(dimension: AlertDimension, row: LedgerRow): string | undefined {
  switch (dimension) {
    case 'all':
      return '';
    case 'model':
      return row.servedModel ?? row.requestedModel;
    case 'provider':
      return row.servedProvider;
    case 'key':
      return row.keyId;
    case 'team':
      return row.teamId;
    case 'workspace':
      return row.workspaceId;
  }
}

function seriesOf(byDimension: Map<AlertDimension, Map<string, Series>>, dimension: AlertDimension, value: string): Series {
  let byValue = byDimension.get(dimension);
  if (byValue === undefined) byDimension.set(dimension, (byValue = new Map()));
  let series = byValue.get(value);
  if (series === undefined) byValue.set(value, (series = new Series()));
  return series;
}
