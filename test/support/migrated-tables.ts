/** Every table the migrations create (besides Kysely's own), sorted: both database suites expect exactly these. */
export const migratedTables = [
  'alert_history',
  'alert_rules',
  'anomaly_models',
  'audit_log',
  'audit_log_head',
  'budgets',
  'key_secrets',
  'organisations',
  'policies',
  'rate_limits',
  'request_metadata',
  'request_payloads',
  'role_bindings',
  'secrets',
  'service_accounts',
  'settings',
  'stored_providers',
  'teams',
  'trace_scores',
  'trace_spans',
  'usage_daily',
  'usage_ledger',
  'usage_rollups',
  'users',
  'virtual_keys',
  'workspaces',
];

/**
 * SQLite's full-text index of the payloads: the FTS5 virtual table and the shadow tables SQLite keeps for it
 * (PostgreSQL indexes the same text with a GIN index on a column instead).
 */
export const sqliteFullTextTables = [
  'request_payloads_fts',
  'request_payloads_fts_config',
  'request_payloads_fts_data',
  'request_payloads_fts_docsize',
  'request_payloads_fts_idx',
];
