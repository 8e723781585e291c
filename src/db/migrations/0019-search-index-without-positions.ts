import { SqliteAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { setSearchIndexOption } from './search-index-option.js';

// SQLite's payload search index (FTS5) without token positions (`detail=none`). The explorer's text filter is
// words that must all occur (`"w1" "w2"`, see fullTextQueryOf), never a phrase or a NEAR group, so positions
// were written for every token of every payload and never read. Measured on the payloads' own kind of text
// (150-payload batches, automerge 16): 12.1 against 19.7 µs of CPU a payload, and 172 against 522 bytes of
// index a payload. FTS5 cannot change `detail` in place: the index is rebuilt under a new name from the stored
// payloads and then takes the old one's name. Its text for a stored payload is what the capture indexes
// (captureRequest's search text): the request's message, system, prompt and input strings, and the response;
// a request text cut at the size cap (no longer JSON) is indexed whole. PostgreSQL (a GIN index): a no-op.

/** The search text of a stored payload row, in SQL: the strings under the keys the capture reads, then the response. */
const searchTextOfStoredPayload = sql`
  case when json_valid(request_text) then coalesce((
    select group_concat(node.value, char(10)) from json_tree(request_payloads.request_text) as node
    where node.type = 'text' and (node.key in ('content', 'text', 'system', 'prompt', 'input') or node.path in ('$.input', '$.prompt', '$.system'))
  ), '') else coalesce(request_text, '') end || char(10) || coalesce(response_text, '')`;

async function rebuild(database: Kysely<unknown>, detail: 'none' | 'full'): Promise<void> {
  if (!(database.getExecutor().adapter instanceof SqliteAdapter)) return;
  const options = detail === 'none' ? sql.raw(', detail=none') : sql.raw('');
  await sql`create virtual table request_payloads_fts_rebuilt using fts5(body, content='', contentless_delete=1${options})`.execute(database);
  // The options migrations 0016 and 0018 set live in the index's own config table: set them on the new one.
  await setSearchIndexOption(database, 'request_payloads_fts_rebuilt', 'automerge', 16);
  await setSearchIndexOption(database, 'request_payloads_fts_rebuilt', 'deletemerge', 0);
  await sql`insert into request_payloads_fts_rebuilt (rowid, body) select seq, ${searchTextOfStoredPayload} from request_payloads order by seq`.execute(database);
  await sql`drop table request_payloads_fts`.execute(database);
  await sql`alter table request_payloads_fts_rebuilt rename to request_payloads_fts`.execute(database);
}

export const searchIndexWithoutPositionsMigration: Migration = {
  up: (database) => rebuild(database, 'none'),
  down: (database) => rebuild(database, 'full'),
};
