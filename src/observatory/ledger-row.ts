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
  /** At most this many rows (default 100, at most 1000). */
  limit?: number;
  /** Cursor: continue after the row with this id, in newest-first order. An unknown id yields no rows. */
  afterId?: string;
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
