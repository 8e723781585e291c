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
  /** What the guardrails did (migration 0012), as in `x-switchyard-guardrails`; NULL when nothing. */
  guardrails: string | null;
  /** The governance scopes of the key (NULL for the master key and unauthenticated requests). */
  organisation_id: string | null;
  workspace_id: string | null;
  team_id: string | null;
  /** The request's trace (migration 0014; NULL when tracing was off), its session id, and JSON of its stage timings and span ids. */
  trace_id: string | null;
  session_id: string | null;
  trace_timeline: string | null;
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

/**
 * A request's stored prompt and completion (see `observatory/payloads/`). `seq` exists on SQLite only (the
 * FTS5 rowid); PostgreSQL has a `search` tsvector column instead, written by SQL, never read back.
 */
export interface RequestPayloadsTable {
  seq?: number;
  request_id: string;
  timestamp: number | string | bigint;
  mode: string;
  request_text: string | null;
  response_text: string | null;
  request_bytes: number | string | bigint;
  response_bytes: number | string | bigint;
  message_count: number;
  /** 0 or 1. */
  truncated: number;
}

/** One name/value pair of a request's metadata (kept as long as the usage row). */
export interface RequestMetadataTable {
  request_id: string;
  timestamp: number | string | bigint;
  name: string;
  value: string;
}

/** Daily totals per dimension (`key`, `team`, `workspace`, `model`, `provider`) and value, per workspace. */
export interface UsageRollupsTable extends Omit<UsageDailyTable, 'key_id' | 'model' | 'provider'> {
  dimension: string;
  value: string;
  organisation_id: string;
  workspace_id: string;
  latency_ms_total: number;
}

/**
 * One hash-chained audit record. `details` is JSON text; `sequence` and `at` are bigint (strings from
 * PostgreSQL).
 */
export interface AuditLogTable {
  sequence: number | string | bigint;
  at: number | string | bigint;
  actor_kind: string;
  actor_id: string;
  action: string;
  target_kind: string;
  target_id: string;
  organisation_id: string | null;
  workspace_id: string | null;
  outcome: string;
  details: string;
  request_id: string | null;
  previous_hash: string;
  hash: string;
}

/** The single row (`id` 1) holding the audit log's last sequence and hash. */
export interface AuditLogHeadTable {
  id: number;
  sequence: number | string | bigint;
  hash: string;
}

/** Encrypted secrets: `fields` is JSON text of field name -> sealed value (never plaintext). */
export interface SecretsTable {
  organisation_id: string;
  name: string;
  fields: string;
  created_at: number | string | bigint;
  updated_at: number | string | bigint;
}

/** An organisation. `llm` is JSON text of its model defaults; times are epoch milliseconds. */
export interface OrganisationsTable {
  id: string;
  name: string;
  llm: string;
  created_at: number | string | bigint;
}

/** A workspace, unique by name within its organisation. `llm` is JSON text. */
export interface WorkspacesTable {
  id: string;
  organisation_id: string;
  name: string;
  llm: string;
  created_at: number | string | bigint;
}

/** A team, unique by name within its workspace. */
export interface TeamsTable {
  id: string;
  organisation_id: string;
  workspace_id: string;
  name: string;
  created_at: number | string | bigint;
}

/** A user, unique by email within the organisation. */
export interface UsersTable {
  id: string;
  organisation_id: string;
  email: string;
  name: string | null;
  created_at: number | string | bigint;
}

/** A service account, unique by name within the organisation. */
export interface ServiceAccountsTable {
  id: string;
  organisation_id: string;
  workspace_id: string | null;
  name: string;
  created_at: number | string | bigint;
}

/** A role held by a user or service account; `workspace_id` NULL means organisation scope. */
export interface RoleBindingsTable {
  id: string;
  subject_kind: string;
  subject_id: string;
  role: string;
  organisation_id: string;
  workspace_id: string | null;
  created_at: number | string | bigint;
}

/** A virtual key (never the key itself). List and map columns are JSON text; `blocked` is 0 or 1. */
export interface VirtualKeysTable {
  id: string;
  organisation_id: string;
  workspace_id: string;
  team_id: string | null;
  owner_kind: string;
  owner_id: string | null;
  name: string;
  prefix: string;
  role: string;
  allowed_models: string;
  allowed_routes: string;
  metadata: string;
  tags: string;
  llm: string;
  expires_at: number | string | bigint | null;
  blocked: number;
  revoked_at: number | string | bigint | null;
  last_used_at: number | string | bigint | null;
  created_at: number | string | bigint;
}

/** One accepted secret of a key, by its SHA-256 hex hash. */
export interface KeySecretsTable {
  hash: string;
  key_id: string;
  expires_at: number | string | bigint | null;
}

/**
 * Policies of organisations, workspaces and keys. `rules` is JSON text; `workspace_id` is NULL for an
 * organisation's policy. Times are epoch milliseconds (strings from PostgreSQL).
 */
export interface PoliciesTable {
  id: string;
  organisation_id: string;
  workspace_id: string | null;
  scope: string;
  scope_id: string;
  rules: string;
  created_at: number | string | bigint;
  updated_at: number | string | bigint;
}

/** Budget definitions: one per owner (key, team, workspace, organisation) and period. */
export interface BudgetsTable {
  id: string;
  scope: string;
  scope_id: string;
  period: string;
  limit_micros: number | string | bigint;
  /** JSON text of the thresholds, in percent, ascending. */
  thresholds: string;
}

/** Rate limit definitions (the counters live in memory or Redis). `limit_value`: `limit` is an SQL keyword. */
export interface RateLimitsTable {
  id: string;
  scope: string;
  scope_id: string;
  /** The requested model it applies to; NULL: every model. */
  model: string | null;
  metric: string;
  limit_value: number | string | bigint;
  /** NULL for concurrent limits. */
  window_ms: number | string | bigint | null;
  algorithm: string;
}

/**
 * A provider enabled at run time. `settings` is JSON text whose credentials are secret references
 * (`{ "secret": name, "field": field }`); `organisation_id` owns those secrets (NULL: none referenced).
 */
export interface StoredProvidersTable {
  name: string;
  kind: string;
  organisation_id: string | null;
  settings: string;
  created_at: number | string | bigint;
  updated_at: number | string | bigint;
}

/** Every table, as Kysely sees them. */
export interface DatabaseSchema {
  settings: SettingsTable;
  usage_ledger: UsageLedgerTable;
  usage_daily: UsageDailyTable;
  organisations: OrganisationsTable;
  workspaces: WorkspacesTable;
  teams: TeamsTable;
  users: UsersTable;
  service_accounts: ServiceAccountsTable;
  role_bindings: RoleBindingsTable;
  virtual_keys: VirtualKeysTable;
  key_secrets: KeySecretsTable;
  audit_log: AuditLogTable;
  audit_log_head: AuditLogHeadTable;
  secrets: SecretsTable;
  policies: PoliciesTable;
  budgets: BudgetsTable;
  rate_limits: RateLimitsTable;
  stored_providers: StoredProvidersTable;
  request_payloads: RequestPayloadsTable;
  request_metadata: RequestMetadataTable;
  usage_rollups: UsageRollupsTable;
}
