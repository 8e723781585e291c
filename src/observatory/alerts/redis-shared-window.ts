import type { Redis } from 'ioredis';
import type { LedgerRow } from '../ledger-row.js';
import type { AlertDimension } from './alert-rule.js';
import { histogramBins } from './latency-histogram.js';
import {
  ownerKinds,
  RequestWindow,
  type AlertWindow,
  type BudgetCrossingSample,
  type Bucket,
  type OwnerKind,
  type TrackedDimensions,
  type WindowOwner,
  type WindowSummary,
} from './request-window.js';

/** Options of {@link RedisSharedWindow}. */
export interface RedisSharedWindowOptions {
  redis: Redis;
  /** Put in front of every key (the installation's prefix), e.g. `switchyard:`. */
  keyPrefix: string;
  bucketMs: number;
}

// Field suffixes of one bucket in a series hash: `<bucket index>:<suffix>`.
const scalarFields = ['r', 'e', 'c', 'l', 'tc', 'ts'] as const;
type ScalarField = (typeof scalarFields)[number];
const bucketProperty: Record<ScalarField, 'requests' | 'errors' | 'costMicros' | 'latencySum' | 'ttftCount' | 'ttftSum'> = {
  r: 'requests',
  e: 'errors',
  c: 'costMicros',
  l: 'latencySum',
  tc: 'ttftCount',
  ts: 'ttftSum',
};

/**
 * The alert window of the scaled preset: every replica's requests, not one replica's share.
 *
 * Each replica counts its own requests in memory as the embedded preset does (`pending`, O(1) per request).
 * Before each evaluation ({@link refresh}) it adds what it counted since the last one to Redis, bucket by
 * bucket (`HINCRBY`, so replicas never overwrite each other), then reads every replica's buckets back and
 * evaluates over that merged view. A series is one hash (`<prefix>alerts:series:<owner>:<dimension>:<value>`,
 * fields `<bucket>:<figure>`), listed in a set per owner and dimension; both expire when no replica has
 * written them for the longest rule window, and fields of buckets older than that are deleted on read.
 *
 * What another replica counted arrives with its next evaluation: a rule sees the cluster's traffic up to one
 * evaluation interval late. When Redis cannot be reached the evaluation is skipped (an alert judged on one
 * replica's share would fire or resolve wrongly), and the counts wait for the next one.
 */
export class RedisSharedWindow implements AlertWindow {
  #pending: RequestWindow;
  #merged: RequestWindow;
  #tracked: TrackedDimensions = { everyone: new Set(), organisation: new Set(), workspace: new Set() };

  constructor(private readonly options: RedisSharedWindowOptions) {
    this.#pending = new RequestWindow(options.bucketMs);
    this.#merged = new RequestWindow(options.bucketMs);
  }

  track(tracked: TrackedDimensions): void {
    this.#tracked = tracked;
    this.#pending.track(tracked);
    this.#merged.track(tracked);
  }

  record(row: LedgerRow): void {
    this.#pending.record(row);
  }

  recordBudgetCrossing(crossing: BudgetCrossingSample): void {
    this.#pending.recordBudgetCrossing(crossing);
  }

  valuesOf(owner: WindowOwner, dimension: AlertDimension): string[] {
    return this.#merged.valuesOf(owner, dimension);
  }

  summarise(owner: WindowOwner, dimension: AlertDimension, value: string, nowMs: number, windowMs: number): WindowSummary {
    return this.#merged.summarise(owner, dimension, value, nowMs, windowMs);
  }

  prune(nowMs: number, keepMs: number): void {
    this.#pending.prune(nowMs, keepMs);
  }

  /** Adds this replica's counts to Redis, then reads every replica's back for the evaluation. */
  async refresh(nowMs: number, keepMs: number): Promise<void> {
    const ttlMs = keepMs + 2 * this.options.bucketMs;
    const exporting = this.#pending;
    this.#pending = new RequestWindow(this.options.bucketMs);
    this.#pending.track(this.#tracked);
    try {
      await this.#export(exporting, ttlMs);
    } catch (error) {
      // Nothing was lost: the counts go with the next refresh (HINCRBY of a batch that failed part-way may
      // have counted some of it: a MULTI keeps the batch whole, so it counted all or none).
      for (const { owner, dimension, value, bucket } of exporting.buckets()) this.#pending.addBucket(owner, dimension, value, bucket);
      throw error;
    }
    this.#merged = await this.#read(nowMs, keepMs);
  }

  async #export(window: RequestWindow, ttlMs: number): Promise<void> {
    const { redis } = this.options;
    const transaction = redis.multi();
    const touchedSeries = new Set<string>();
    const touchedSets = new Set<string>();
    for (const { owner, dimension, value, bucket } of window.buckets()) {
      const seriesKey = this.#seriesKey(owner, dimension, value);
      const valuesKey = this.#valuesKey(owner, dimension);
      const ownersKey = this.#ownersKey(owner.kind);
      for (const field of scalarFields) {
        const amount = bucket[bucketProperty[field]];
        if (amount === 0) continue;
        if (Number.isInteger(amount)) transaction.hincrby(seriesKey, `${bucket.index}:${field}`, amount);
        else transaction.hincrbyfloat(seriesKey, `${bucket.index}:${field}`, amount);
      }
      for (let bin = 0; bin < histogramBins; bin += 1) {
        const latency = bucket.latencyHistogram[bin]!;
        if (latency > 0) transaction.hincrby(seriesKey, `${bucket.index}:h${bin}`, latency);
        const ttft = bucket.ttftHistogram?.[bin] ?? 0;
        if (ttft > 0) transaction.hincrby(seriesKey, `${bucket.index}:t${bin}`, ttft);
      }
      // Crossings are rare and a later threshold is higher: the last writer is the highest.
      if (bucket.budgetThreshold > 0) transaction.hset(seriesKey, `${bucket.index}:b`, bucket.budgetThreshold, `${bucket.index}:bid`, bucket.budgetId ?? '');
      if (!touchedSeries.has(seriesKey)) {
        touchedSeries.add(seriesKey);
        transaction.sadd(valuesKey, value);
        transaction.sadd(ownersKey, owner.id);
        touchedSets.add(valuesKey).add(ownersKey);
      }
    }
    if (touchedSeries.size === 0) return;
    for (const key of touchedSeries) transaction.pexpire(key, ttlMs);
    for (const key of touchedSets) transaction.pexpire(key, ttlMs);
    const replies = await transaction.exec();
    const failed = replies?.find(([error]) => error !== null);
    if (replies === null || failed !== undefined) throw failed?.[0] ?? new Error('the shared alert window transaction was discarded');
  }

  async #read(nowMs: number, keepMs: number): Promise<RequestWindow> {
    const { redis, bucketMs } = this.options;
    const merged = new RequestWindow(bucketMs);
    merged.track(this.#tracked);
    const oldest = Math.floor((nowMs - keepMs) / bucketMs);
    // Which owners and which of their dimensions' values have series: only what some rule reads.
    const listing = redis.pipeline();
    const listed: Array<{ kind: OwnerKind }> = [];
    for (const kind of ownerKinds) {
      if (this.#tracked[kind].size === 0) continue;
      listing.smembers(this.#ownersKey(kind));
      listed.push({ kind });
    }
    const ownerReplies = (await listing.exec()) ?? [];
    const seriesListing = redis.pipeline();
    const seriesOf: Array<{ owner: WindowOwner; dimension: AlertDimension; valuesKey: string }> = [];
    listed.forEach(({ kind }, index) => {
      for (const id of (ownerReplies[index]?.[1] as string[] | undefined) ?? []) {
        for (const dimension of this.#tracked[kind]) {
          const owner = { kind, id };
          const valuesKey = this.#valuesKey(owner, dimension);
          seriesListing.smembers(valuesKey);
          seriesOf.push({ owner, dimension, valuesKey });
        }
      }
    });
    const valueReplies = seriesOf.length === 0 ? [] : ((await seriesListing.exec()) ?? []);
    const reading = redis.pipeline();
    const series: Array<{ owner: WindowOwner; dimension: AlertDimension; value: string; key: string; valuesKey: string }> = [];
    seriesOf.forEach(({ owner, dimension, valuesKey }, index) => {
      for (const value of (valueReplies[index]?.[1] as string[] | undefined) ?? []) {
        const key = this.#seriesKey(owner, dimension, value);
        reading.hgetall(key);
        series.push({ owner, dimension, value, key, valuesKey });
      }
    });
    const hashes = series.length === 0 ? [] : ((await reading.exec()) ?? []);
    const cleaning = redis.pipeline();
    let cleanups = 0;
    series.forEach(({ owner, dimension, value, key, valuesKey }, index) => {
      const fields = (hashes[index]?.[1] as Record<string, string> | undefined) ?? {};
      const buckets = new Map<number, Bucket>();
      const stale: string[] = [];
      for (const [field, raw] of Object.entries(fields)) {
        const separator = field.indexOf(':');
        const bucketIndex = Number(field.slice(0, separator));
        if (bucketIndex < oldest) {
          stale.push(field);
          continue;
        }
        let bucket = buckets.get(bucketIndex);
        if (bucket === undefined) {
          bucket = { index: bucketIndex, requests: 0, errors: 0, costMicros: 0, latencySum: 0, latencyHistogram: new Uint32Array(histogramBins), ttftCount: 0, ttftSum: 0, budgetThreshold: 0 };
          buckets.set(bucketIndex, bucket);
        }
        applyField(bucket, field.slice(separator + 1), raw);
      }
      for (const bucket of buckets.values()) merged.addBucket(owner, dimension, value, bucket);
      if (stale.length > 0) {
        cleaning.hdel(key, ...stale);
        cleanups += 1;
      }
      // The series expired (no replica wrote it for a whole window): forget its value.
      if (Object.keys(fields).length === 0) {
        cleaning.srem(valuesKey, value);
        cleanups += 1;
      }
    });
    if (cleanups > 0) await cleaning.exec();
    return merged;
  }

  #ownersKey(kind: OwnerKind): string {
    return `${this.options.keyPrefix}alerts:owners:${kind}`;
  }

  #valuesKey(owner: WindowOwner, dimension: AlertDimension): string {
    return `${this.options.keyPrefix}alerts:values:${owner.kind}:${encodeURIComponent(owner.id)}:${dimension}`;
  }

  #seriesKey(owner: WindowOwner, dimension: AlertDimension, value: string): string {
    return `${this.options.keyPrefix}alerts:series:${owner.kind}:${encodeURIComponent(owner.id)}:${dimension}:${encodeURIComponent(value)}`;
  }
}

function applyField(bucket: Bucket, suffix: string, raw: string): void {
  if (suffix.startsWith('h')) {
    bucket.latencyHistogram[Number(suffix.slice(1))] = Number(raw);
  } else if (suffix.startsWith('t') && suffix !== 'tc' && suffix !== 'ts') {
    (bucket.ttftHistogram ??= new Uint32Array(histogramBins))[Number(suffix.slice(1))] = Number(raw);
  } else if (suffix === 'b') {
    bucket.budgetThreshold = Number(raw);
  } else if (suffix === 'bid') {
    if (raw !== '') bucket.budgetId = raw;
  } else if (suffix in bucketProperty) {
    bucket[bucketProperty[suffix as ScalarField]] = Number(raw);
  }
}
