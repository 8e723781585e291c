import type { UsageLedgerTable } from '../../db/schema.js';

/** The `trace_spans` table (migration 0010). */
export interface TraceSpansTable {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind: string;
  start_time: number;
  end_time: number;
  status: string;
  attributes: string;
  request_id: string | null;
  session_id: string | null;
  organisation_id: string | null;
  workspace_id: string | null;
  input: string | null;
  output: string | null;
}

/** The `trace_scores` table (migration 0010). */
export interface TraceScoresTable {
  id: string;
  trace_id: string;
  span_id: string | null;
  name: string;
  /** JSON of the value, so numbers, strings and booleans come back as they went in. */
  value: string;
  data_type: string;
  source: string;
  comment: string | null;
  created_at: number;
  organisation_id: string | null;
  workspace_id: string | null;
}

/** The tables the SQL trace store reads and writes. */
export interface TraceTables {
  trace_spans: TraceSpansTable;
  trace_scores: TraceScoresTable;
  /** Read only: traced requests' rows (migration 0014), which the gateway's spans are derived from. */
  usage_ledger: UsageLedgerTable;
}
