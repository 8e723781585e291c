import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';
import { queryLimitOf, searchWordsOf, type LedgerQuery } from './ledger-row.js';
import { fullTextQueryOf } from './sql-ledger-filters.js';

/** A word with at least this many matching payloads is searched newest first; fewer are cheaper collected. */
const commonWordMatches = 5_000;

/** The newest-first search gives up after this many candidate rows (the matches are then rare among them). */
const maximumCandidates = 20_000;

type CandidateSelect = SelectQueryBuilder<DatabaseSchema, 'usage_ledger', { id: string; timestamp: string | number | bigint }>;

/**
 * SQLite: the ids of the newest page of rows whose payload matches `filter.text`, in page order, found by
 * walking the rows that pass the other filters newest first, in growing chunks, and asking the full-text index
 * which of each chunk's payloads match (one FTS5 query over the chunk's range of payload keys). Undefined when
 * that is not the cheaper way: the words have few matches overall (collecting them all, as
 * `applyLedgerFilters` does, is then fast), or the first 20,000 candidates hold fewer than a page.
 *
 * Why: a page ordered by time with the match collected first made SQLite build the set of every matching
 * payload (most of them, for a common word) and then walk the ledger against it, seconds at a million rows.
 * The result is exact whatever order payloads were written in: every candidate row is checked, newest first.
 *
 * @param filtered the caller's filters (without the text) and cursor applied to a query of the ledger;
 *   undefined when the cursor names no row
 */
export async function searchNewestFirst(
  reads: Kysely<DatabaseSchema>,
  filter: LedgerQuery & { text: string },
  filtered: (statement: CandidateSelect) => Promise<CandidateSelect | undefined>,
): Promise<string[] | undefined> {
  const words = searchWordsOf(filter.text);
  if (words.length === 0) return undefined;
  const match = fullTextQueryOf(words);
  const counted = await sql<{ matches: number }>`select count(*) as matches from (select rowid from request_payloads_fts where request_payloads_fts match ${match} limit ${commonWordMatches})`.execute(reads);
  if (Number(counted.rows[0]?.matches ?? 0) < commonWordMatches) return undefined;

  const limit = queryLimitOf(filter);
  const base = await filtered(reads.selectFrom('usage_ledger').select(['id', 'timestamp']));
  if (base === undefined) return [];
  const found: string[] = [];
  let chunkSize = 4 * limit;
  let scanned = 0;
  let last: { id: string; timestamp: number } | undefined;
  while (scanned < maximumCandidates) {
    let chunkQuery = base;
    if (last !== undefined) {
      const { id, timestamp } = last;
      chunkQuery = chunkQuery.where((where) => where.or([where('timestamp', '<', timestamp), where.and([where('timestamp', '=', timestamp), where('id', '<', id)])]));
    }
    const chunk = await chunkQuery.orderBy('timestamp', 'desc').orderBy('id', 'desc').limit(chunkSize).execute();
    if (chunk.length === 0) return found;
    const payloads = await reads.selectFrom('request_payloads').select(['request_id', 'seq']).where('request_id', 'in', chunk.map((row) => row.id)).execute();
    const seqOf = new Map(payloads.map((payload) => [payload.request_id, Number(payload.seq)]));
    const matching = await matchingKeys(reads, match, [...seqOf.values()]);
    for (const row of chunk) {
      const seq = seqOf.get(row.id);
      if (seq !== undefined && matching.has(seq)) {
        found.push(row.id);
        if (found.length === limit) return found;
      }
    }
    // Fewer than asked: no older candidate is left.
    if (chunk.length < chunkSize) return found;
    scanned += chunk.length;
    last = { id: chunk[chunk.length - 1].id, timestamp: Number(chunk[chunk.length - 1].timestamp) };
    chunkSize *= 2;
  }
  return undefined;
}

/** Which of these payload keys match: one index query over their range (the index seeks to its ends). */
async function matchingKeys(reads: Kysely<DatabaseSchema>, match: string, keys: number[]): Promise<Set<number>> {
  if (keys.length === 0) return new Set();
  let lowest = keys[0];
  let highest = keys[0];
  for (const key of keys) {
    if (key < lowest) lowest = key;
    if (key > highest) highest = key;
  }
  const rows = await sql<{ rowid: number }>`select rowid from request_payloads_fts where request_payloads_fts match ${match} and rowid between ${lowest} and ${highest}`.execute(reads);
  return new Set(rows.rows.map((row) => Number(row.rowid)));
}
