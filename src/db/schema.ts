/** Key–value settings of the gateway (the master key hash, ...). */
export interface SettingsTable {
  key: string;
  value: string;
}

/**
 * One row per request. Times are epoch milliseconds; token figures are NULL when unknown.
 * PostgreSQL returns `bigint` columns as strings, so the readers convert them with `Number`.
 */
export interface UsageLedgerTable {
  id: string;
  timestamp: number | string | bigint;
  key_id: string | null;
  dialect: string;
  operation: string;
  requested_model: string;
  served_provider: string | null;
  served_model: string | null;
  deployment_id: string | null;
  /** 0 or 1 (one encoding for both databases). */
  stream: number;
  status: string;
  http_status: number;
  error_code: string | null;
  /** JSON text of the attempts. */
  attempts: string;
  latency_ms: number;
  time_to_first_token_ms: number | null;
  input_tokens: number | null;
  cache_read_tokens: number | null;
  cache_write_tokens: number | null;
  output_tokens: number | null;
  reasoning_tokens: number | null;
  usage_source: string;
  cost_micros: number | string | bigint | null;
  finish_reason: string | null;
  gateway_overhead_ms: number | null;
}

/**
 * Daily aggregates by key, model and provider, kept longer than the ledger rows. A request without a key
 * or provider is stored under `''` (primary-key columns cannot be NULL in PostgreSQL).
 */
export interface UsageDailyTable {
  day: string;
  key_id: string;
  model: string;
  provider: string;
  requests: number | string | bigint;
  errors: number | string | bigint;
  input_tokens: number | string | bigint;
  cache_read_tokens: number | string | bigint;
  cache_write_tokens: number | string | bigint;
  output_tokens: number | string | bigint;
  reasoning_tokens: number | string | bigint;
  cost_micros: number | string | bigint;
}

/** Every table, as Kysely sees them. */
export interface DatabaseSchema {
  settings: SettingsTable;
  usage_ledger: UsageLedgerTable;
  usage_daily: UsageDailyTable;
}
