/** One upstream attempt of a request (a retry or a fallback adds one). */
export interface LedgerAttempt {
  deploymentId: string;
  provider: string;
  model: string;
  /** e.g. `ok`, `error`, `timeout`, `aborted`: the router's word for how the attempt ended. */
  outcome: string;
  errorCode?: string;
  upstreamStatus?: number;
  durationMs: number;
}

/**
 * The usage ledger's record of one request: who asked, what served it, how it went, what it used and cost.
 * Token figures are exclusive buckets (see `spec/usage.ts`) and `undefined` when unknown, never 0.
 */
export interface LedgerRow {
  /** The request id (unique). */
  id: string;
  /** When the request started, epoch milliseconds. */
  timestamp: number;
  keyId?: string;
  /** The key's organisation, workspace and team (absent for the master key). */
  organisationId?: string;
  workspaceId?: string;
  teamId?: string;
  /** The client-facing API the request came in on (`openai`, `anthropic`, ...). */
  dialect: string;
  operation: 'chat' | 'embeddings' | 'count_tokens';
  requestedModel: string;
  servedProvider?: string;
  servedModel?: string;
  deploymentId?: string;
  stream: boolean;
  status: 'ok' | 'error';
  httpStatus: number;
  errorCode?: string;
  attempts: LedgerAttempt[];
  latencyMs: number;
  timeToFirstTokenMs?: number;
  inputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  outputTokens?: number;
  reasoningTokens?: number;
  usageSource: 'provider' | 'estimate' | 'none';
  /** Integer micro-dollars; undefined when the price is unknown. */
  costMicros?: number;
  finishReason?: string;
  /** Time the gateway itself added (latency minus time spent waiting on providers). */
  gatewayOverheadMs?: number;
  /** What the guardrails did, as in `x-switchyard-guardrails` (`pii=masked;injection=flagged`); absent when nothing. */
  guardrails?: string;
  /**
   * Where the request sits in its trace (present when tracing is on): the gateway's request, stage and
   * attempt spans are derived from the row and this when a trace is read, so no span is written per request.
   */
  trace?: LedgerTrace;
}

/** The trace ids and stage timings of a request: what its spans need beyond the rest of its ledger row. */
export interface LedgerTrace {
  traceId: string;
  /** The gateway's root span of the request. */
  requestSpanId: string;
  /** The client's span (from its `traceparent`), parent of the request span. */
  parentSpanId?: string;
  /** The session id the client put in the request's metadata (`session_id` or `sessionId`). */
  sessionId?: string;
  /** Milliseconds after `timestamp` that authentication ended (absent: the request never got there). */
  authenticatedAfterMs?: number;
  /** Milliseconds after `timestamp` that governance (policies, limits, budgets) ended. */
  governedAfterMs?: number;
  /** One per entry of the row's `attempts`, in the same order (skipped deployments too). */
  attempts: LedgerTraceAttempt[];
}

/** What an attempt's span needs beyond the row's {@link LedgerAttempt}. */
export interface LedgerTraceAttempt {
  /** The span id the provider call named in its `traceparent` (absent for a skipped deployment). */
  spanId?: string;
  /** The model group the deployment was chosen from. */
  group: string;
  /** Milliseconds after the row's `timestamp` that the attempt started. */
  startedAfterMs: number;
  /** Why the attempt was made (retry, fallback) or skipped; absent for the first one. */
  reason?: string;
}

/**
 * Daily totals for one key, model and provider. `model` is the served model (the requested one when the
 * request was never served); `keyId` / `provider` are undefined when the request had none. Unknown token
 * figures and costs count as 0 in the totals.
 */
export interface DailyUsage {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  keyId?: string;
  model: string;
  provider?: string;
  requests: number;
  errors: number;
  inputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  costMicros: number;
}

/** Whose spend {@link UsageLedger.spentMicros} sums. */
export type SpendScope = { kind: 'key' | 'team' | 'workspace' | 'organisation'; id: string };

/** Filter of {@link UsageLedger.query}; every field narrows the result. Times are epoch ms. */
export interface LedgerQuery {
  /** Inclusive lower bound on `timestamp`. */
  since?: number;
  /** Exclusive upper bound on `timestamp`. */
  until?: number;
  keyId?: string;
  /** Matches the requested or the served model. */
  model?: string;
  /** Matches the served provider. */
  provider?: string;
  status?: 'ok' | 'error';
  /** One request by its id. */
  requestId?: string;
  organisationId?: string;
  workspaceId?: string;
  teamId?: string;
  errorCode?: string;
  /** Inclusive latency bounds, milliseconds. */
  minLatencyMs?: number;
  maxLatencyMs?: number;
  /** Inclusive cost bounds, micro-dollars (a row whose cost is unknown matches no cost bound). */
  minCostMicros?: number;
  maxCostMicros?: number;
  /**
   * Every pair must be in the request's metadata (the body's `metadata` object, captured with the payload;
   * see `payloads/`).
   */
  metadata?: Readonly<Record<string, string>>;
  /**
   * Free text over the stored payloads (prompt and completion text): every word must occur as a whole word,
   * case-insensitive. Rows whose payload is not stored (mode `metadata`, or pruned) never match.
   */
  text?: string;
  /** At most this many rows (default 100, at most 1000). */
  limit?: number;
  /** Cursor: continue after the row with this id, in newest-first order. An unknown id yields no rows. */
  afterId?: string;
  /** Cursor that needs no lookup: continue after the row with this timestamp and id, in newest-first order. */
  after?: LedgerPosition;
}

/** A row's place in the newest-first order (what a page cursor encodes). */
export interface LedgerPosition {
  timestamp: number;
  id: string;
}

/** What the daily rollups are grouped by. */
export const rollupDimensions = ['key', 'team', 'workspace', 'model', 'provider'] as const;
export type RollupDimension = (typeof rollupDimensions)[number];

/**
 * Daily totals of one dimension's value (`value` undefined: requests that had none, e.g. no team). Kept per
 * workspace in storage, so a workspace's viewers see their own; the query sums across what the caller reads.
 */
export interface UsageRollup extends Omit<DailyUsage, 'keyId' | 'model' | 'provider'> {
  groupBy: RollupDimension;
  value?: string;
  /** Sum of latencies (divide by `requests` for the mean). */
  latencyMsTotal: number;
}

/** Filter of {@link UsageLedger.rollups}. */
export interface UsageRollupQuery {
  groupBy: RollupDimension;
  /** Inclusive first and last day, `YYYY-MM-DD`. */
  since?: string;
  until?: string;
  organisationId?: string;
  workspaceId?: string;
}

/** The value a row adds to for a dimension ('' when it has none). */
export function rollupValueOf(row: LedgerRow, dimension: RollupDimension): string {
  switch (dimension) {
    case 'key':
      return row.keyId ?? '';
    case 'team':
      return row.teamId ?? '';
    case 'workspace':
      return row.workspaceId ?? '';
    case 'model':
      return row.servedModel ?? row.requestedModel;
    case 'provider':
      return row.servedProvider ?? '';
  }
}

/** True when `row` comes after `position` in the newest-first order. */
export function isAfter(row: LedgerPosition, position: LedgerPosition): boolean {
  return row.timestamp < position.timestamp || (row.timestamp === position.timestamp && row.id < position.id);
}

/** The lower-cased words of a free-text search (letters and digits; everything else separates). */
export function searchWordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Filter of {@link UsageLedger.dailyRollup}. */
export interface DailyRollupQuery {
  /** Inclusive first day, `YYYY-MM-DD`. */
  since?: string;
  keyId?: string;
}

export const defaultQueryLimit = 100;
export const maximumQueryLimit = 1000;

/** The UTC day (`YYYY-MM-DD`) of an epoch-ms timestamp. */
export function dayOf(timestamp: number): string {
  return new Date(timestamp).toISOString().slice(0, 10);
}

/** The rollup bucket a row adds to. */
export function rollupKeyOf(row: LedgerRow): { day: string; keyId: string; model: string; provider: string } {
  return {
    day: dayOf(row.timestamp),
    keyId: row.keyId ?? '',
    model: row.servedModel ?? row.requestedModel,
    provider: row.servedProvider ?? '',
  };
}

/** The effective row limit of a query. */
export function queryLimitOf(query: LedgerQuery): number {
  const limit = query.limit ?? defaultQueryLimit;
  return Math.max(0, Math.min(Math.floor(limit), maximumQueryLimit));
}
