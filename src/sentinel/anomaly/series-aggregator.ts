import type { LedgerRow } from '../../observatory/ledger-row.js';
import { seriesIdOf, type SeriesDimension, type SeriesPoint } from './series.js';

/** What is known about a subject beyond its id, for root-cause hints. */
export interface SubjectInfo {
  dimension: SeriesDimension;
  subject: string;
  /** Deployments: the provider instance and upstream model they serve. */
  provider?: string;
  model?: string;
  /** Keys: their team. */
  teamId?: string;
}

/** Options of {@link SeriesAggregator}. */
export interface SeriesAggregatorOptions {
  bucketMs: number;
  /** A counting series (spend, tokens, requests) seen within this long gets 0 for a bucket it was absent from. */
  zeroFillMs?: number;
  /** At most this many subjects are tracked; rows of further subjects are left out (and counted). */
  maxSubjects?: number;
}

interface DeploymentBucket {
  requests: number;
  errors: number;
  okRequests: number;
  latencySum: number;
  firstTokenSum: number;
  firstTokenCount: number;
  errorsByCode: Map<string, number>;
}

interface SpendBucket {
  requests: number;
  tokens: number;
  costMicros: number;
}

interface Bucket {
  deployments: Map<string, DeploymentBucket>;
  keys: Map<string, SpendBucket>;
  teams: Map<string, SpendBucket>;
}

const defaultZeroFillMs = 86_400_000;
const defaultMaxSubjects = 10_000;

function emptyBucket(): Bucket {
  return { deployments: new Map(), keys: new Map(), teams: new Map() };
}

function tokensOf(row: LedgerRow): number {
  return (row.inputTokens ?? 0) + (row.cacheReadTokens ?? 0) + (row.cacheWriteTokens ?? 0) + (row.outputTokens ?? 0) + (row.reasoningTokens ?? 0);
}

/**
 * Turns ledger rows into per-bucket series points. `add` is O(1) per row (a few map updates, no I/O), so it
 * can sit on the request path as a request observer; `drain` emits the buckets that have closed. Rows may
 * arrive out of order (training replays history newest first): each row goes to the bucket of its end time.
 */
export class SeriesAggregator {
  readonly bucketMs: number;
  readonly #zeroFillMs: number;
  readonly #maxSubjects: number;
  readonly #buckets = new Map<number, Bucket>();
  readonly #subjects = new Map<string, SubjectInfo>();
  /** Last bucket each subject had traffic in (zero fill of counting series and of per-code error series). */
  readonly #lastSeen = new Map<string, number>();
  readonly #codesOfDeployment = new Map<string, Map<string, number>>();
  #dropped = 0;

  constructor(options: SeriesAggregatorOptions) {
    this.bucketMs = options.bucketMs;
    this.#zeroFillMs = options.zeroFillMs ?? defaultZeroFillMs;
    this.#maxSubjects = options.maxSubjects ?? defaultMaxSubjects;
  }

  /** Rows of subjects beyond `maxSubjects` that were left out. */
  get droppedRows(): number {
    return this.#dropped;
  }

  /** Adds one finished request to the bucket of `atMs` (its end time by default). */
  add(row: LedgerRow, atMs = row.timestamp + row.latencyMs): void {
    const bucketStart = atMs - (atMs % this.bucketMs);
    let bucket = this.#buckets.get(bucketStart);
    if (bucket === undefined) {
      bucket = emptyBucket();
      this.#buckets.set(bucketStart, bucket);
    }
    if (row.deploymentId !== undefined && this.#track('deployment', row.deploymentId, bucketStart, { provider: row.servedProvider, model: row.servedModel })) {
      this.#addDeployment(bucket, row, row.deploymentId, bucketStart);
    }
    // A request refused before it reached a deployment still counts toward its key's request rate: that is
    // the load the client offers (and what shows whether a throttled client has calmed down).
    if (row.keyId !== undefined && this.#track('key', row.keyId, bucketStart, { teamId: row.teamId })) addSpend(bucket.keys, row.keyId, row);
    if (row.teamId !== undefined && this.#track('team', row.teamId, bucketStart, {})) addSpend(bucket.teams, row.teamId, row);
  }

  /** What is known about the subjects seen so far, by subject id (`dimension|subject`). */
  subjects(): ReadonlyMap<string, SubjectInfo> {
    return this.#subjects;
  }

  /**
   * The points of every bucket that ended at or before `nowMs`, oldest bucket first, and forgets them.
   * Counting series of subjects seen recently get an explicit 0 for buckets they were absent from.
   */
  drain(nowMs: number): Array<{ bucketStart: number; points: SeriesPoint[] }> {
    const closed = [...this.#buckets.keys()].filter((start) => start + this.bucketMs <= nowMs).sort((left, right) => left - right);
    if (closed.length === 0) return [];
    // Buckets between closed ones that had no traffic at all still need their zeros.
    const first = closed[0];
    const last = closed[closed.length - 1];
    const result: Array<{ bucketStart: number; points: SeriesPoint[] }> = [];
    for (let start = first; start <= last; start += this.bucketMs) {
      const bucket = this.#buckets.get(start) ?? emptyBucket();
      this.#buckets.delete(start);
      result.push({ bucketStart: start, points: this.#pointsOf(start, bucket) });
    }
    return result;
  }

  #track(dimension: SeriesDimension, subject: string, bucketStart: number, info: Omit<SubjectInfo, 'dimension' | 'subject'>): boolean {
    const id = `${dimension}|${subject}`;
    const known = this.#subjects.get(id);
    if (known === undefined) {
      if (this.#subjects.size >= this.#maxSubjects) {
        this.#dropped += 1;
        return false;
      }
      this.#subjects.set(id, { dimension, subject, ...definedFields(info) });
    } else if (info.teamId !== undefined && known.teamId !== info.teamId) {
      known.teamId = info.teamId;
    }
    if ((this.#lastSeen.get(id) ?? -Infinity) < bucketStart) this.#lastSeen.set(id, bucketStart);
    return true;
  }

  #addDeployment(bucket: Bucket, row: LedgerRow, deploymentId: string, bucketStart: number): void {
    let entry = bucket.deployments.get(deploymentId);
    if (entry === undefined) {
      entry = { requests: 0, errors: 0, okRequests: 0, latencySum: 0, firstTokenSum: 0, firstTokenCount: 0, errorsByCode: new Map() };
      bucket.deployments.set(deploymentId, entry);
    }
    entry.requests += 1;
    if (row.status === 'error') {
      entry.errors += 1;
      const code = row.errorCode ?? 'unknown';
      entry.errorsByCode.set(code, (entry.errorsByCode.get(code) ?? 0) + 1);
      let codes = this.#codesOfDeployment.get(deploymentId);
      if (codes === undefined) {
        codes = new Map();
        this.#codesOfDeployment.set(deploymentId, codes);
      }
      if ((codes.get(code) ?? -Infinity) < bucketStart) codes.set(code, bucketStart);
    } else {
      // Latency of successful requests only: a failure that returns at once would make a broken
      // deployment look fast.
      entry.okRequests += 1;
      entry.latencySum += row.latencyMs;
      if (row.timeToFirstTokenMs !== undefined) {
        entry.firstTokenSum += row.timeToFirstTokenMs;
        entry.firstTokenCount += 1;
      }
    }
  }

  #pointsOf(bucketStart: number, bucket: Bucket): SeriesPoint[] {
    const points: SeriesPoint[] = [];
    const point = (series: string, value: number, samples: number) => points.push({ series, bucketStart, value, samples });
    for (const [deploymentId, entry] of bucket.deployments) {
      if (entry.okRequests > 0) point(seriesIdOf({ metric: 'latency', dimension: 'deployment', subject: deploymentId }), entry.latencySum / entry.okRequests, entry.okRequests);
      if (entry.firstTokenCount > 0) point(seriesIdOf({ metric: 'time_to_first_token', dimension: 'deployment', subject: deploymentId }), entry.firstTokenSum / entry.firstTokenCount, entry.firstTokenCount);
      point(seriesIdOf({ metric: 'error_rate', dimension: 'deployment', subject: deploymentId }), entry.errors / entry.requests, entry.requests);
      for (const [code, seenAt] of this.#codesOfDeployment.get(deploymentId) ?? []) {
        if (seenAt < bucketStart - this.#zeroFillMs) continue;
        point(seriesIdOf({ metric: 'error_rate', dimension: 'deployment', subject: deploymentId, errorCode: code }), (entry.errorsByCode.get(code) ?? 0) / entry.requests, entry.requests);
      }
    }
    for (const [dimension, entries] of [['key', bucket.keys], ['team', bucket.teams]] as const) {
      for (const [id, info] of this.#subjects) {
        if (info.dimension !== dimension) continue;
        const entry = entries.get(info.subject);
        if (entry === undefined && (this.#lastSeen.get(id) ?? -Infinity) < bucketStart - this.#zeroFillMs) continue;
        const { requests = 0, tokens = 0, costMicros = 0 } = entry ?? {};
        point(seriesIdOf({ metric: 'spend_rate', dimension, subject: info.subject }), costMicros, requests);
        point(seriesIdOf({ metric: 'token_rate', dimension, subject: info.subject }), tokens, requests);
        point(seriesIdOf({ metric: 'request_rate', dimension, subject: info.subject }), requests, requests);
      }
    }
    return points;
  }
}

function addSpend(entries: Map<string, SpendBucket>, id: string, row: LedgerRow): void {
  let entry = entries.get(id);
  if (entry === undefined) {
    entry = { requests: 0, tokens: 0, costMicros: 0 };
    entries.set(id, entry);
  }
  entry.requests += 1;
  entry.tokens += tokensOf(row);
  entry.costMicros += row.costMicros ?? 0;
}

function definedFields<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
