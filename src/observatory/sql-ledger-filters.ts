import { sql, type SelectQueryBuilder } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';
import { searchWordsOf, type LedgerQuery } from './ledger-row.js';

type LedgerSelect<Selection> = SelectQueryBuilder<DatabaseSchema, 'usage_ledger', Selection>;

// Filters that compare one column with an operator (`since` inclusive, `until` exclusive, ranges inclusive).
const comparisons = [
  ['since', 'timestamp', '>='],
  ['until', 'timestamp', '<'],
  ['requestId', 'id', '='],
  ['keyId', 'key_id', '='],
  ['organisationId', 'organisation_id', '='],
  ['workspaceId', 'workspace_id', '='],
  ['teamId', 'team_id', '='],
  ['provider', 'served_provider', '='],
  ['status', 'status', '='],
  ['errorCode', 'error_code', '='],
  ['minLatencyMs', 'latency_ms', '>='],
  ['maxLatencyMs', 'latency_ms', '<='],
  ['minCostMicros', 'cost_micros', '>='],
  ['maxCostMicros', 'cost_micros', '<='],
] as const;

/**
 * The WHERE clauses of a ledger query, one codebase for SQLite and PostgreSQL. Every equality filter meets an
 * index that is ordered by time (`<column>, timestamp`), so a newest-first page reads only its rows; ranges
 * (latency, cost) narrow what such a scan finds. Free text goes to FTS5 (SQLite) or the tsvector GIN index
 * (PostgreSQL); metadata pairs to `request_metadata (name, value, timestamp)`.
 */
export function applyLedgerFilters<Selection>(statement: LedgerSelect<Selection>, filter: LedgerQuery, sqlite: boolean): LedgerSelect<Selection> {
  let query = statement;
  for (const [field, column, operator] of comparisons) {
    const value = filter[field];
    if (value !== undefined) query = query.where(column, operator, value);
  }
  if (filter.model !== undefined) {
    const model = filter.model;
    query = query.where((where) => where.or([where('requested_model', '=', model), where('served_model', '=', model)]));
  }
  for (const [name, value] of Object.entries(filter.metadata ?? {})) {
    query = query.where('id', 'in', (select) => select.selectFrom('request_metadata').select('request_id').where('name', '=', name).where('value', '=', value));
  }
  if (hasSearchText(filter)) {
    const words = searchWordsOf(filter.text);
    // Punctuation only: nothing can match (and an empty MATCH is an error).
    if (words.length === 0) return query.where(sql<boolean>`1 = 0`);
    // The words are letters and digits only, so quoting them is all the escaping either syntax needs.
    const matching = sqlite
      ? sql<string>`(select request_id from request_payloads where seq in (select rowid from request_payloads_fts where request_payloads_fts match ${fullTextQueryOf(words)}))`
      : sql<string>`(select request_id from request_payloads where search @@ to_tsquery('simple', ${words.join(' & ')}))`;
    query = query.where('id', 'in', matching);
  }
  if (filter.after !== undefined) {
    const { timestamp, id } = filter.after;
    query = query.where((where) => where.or([where('timestamp', '<', timestamp), where.and([where('timestamp', '=', timestamp), where('id', '<', id)])]));
  }
  return query;
}

/** Whether the query searches the payloads' text. */
export function hasSearchText(filter: LedgerQuery): filter is LedgerQuery & { text: string } {
  return filter.text !== undefined && filter.text.trim() !== '';
}

/**
 * An FTS5 query that asks for every word (each quoted: they are letters and digits only). Each quoted word is
 * one token, never a phrase: the SQLite index keeps no positions (migration 0019), and refuses phrase queries.
 */
export function fullTextQueryOf(words: readonly string[]): string {
  return words.map((word) => `"${word}"`).join(' ');
}

