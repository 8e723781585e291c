import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import type { DatabaseSchema } from '../../db/schema.js';
import { requestOf, type CapturedRequest, type PayloadMode, type PayloadStore, type StoredPayload } from './payload-store.js';

// 10 parameters a payload: 500 rows stay below PostgreSQL's bound-parameter limit.
const rowsPerInsert = 500;

function metadataRows(captures: CapturedRequest[]) {
  return captures.flatMap((capture) =>
    Object.entries(capture.metadata).map(([name, value]) => ({ request_id: capture.requestId, timestamp: capture.timestamp, name, value })),
  );
}

/**
 * SQLite's append: prepared statements in one transaction per batch (as the ledger's), and the FTS5 row
 * written beside the payload with the payload's own integer key, so deleting one deletes the other.
 */
function createSqliteAppend(sqlite: NonNullable<Database['sqlite']>): (captures: CapturedRequest[]) => void {
  const insertPayload = sqlite.prepare(
    `insert into request_payloads (request_id, timestamp, mode, request_text, response_text, request_bytes, response_bytes, message_count, truncated)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (request_id) do nothing`,
  );
  const insertSearch = sqlite.prepare('insert into request_payloads_fts (rowid, body) values (?, ?)');
  const insertMetadata = sqlite.prepare('insert into request_metadata (request_id, timestamp, name, value) values (?, ?, ?, ?)');
  const known = sqlite.prepare('select 1 from request_metadata where request_id = ? limit 1');
  return sqlite.transaction((captures: CapturedRequest[]) => {
    for (const capture of captures) {
      if (capture.mode === 'metadata') {
        if (known.get(capture.requestId) !== undefined) continue;
      } else {
        const result = insertPayload.run(
          capture.requestId,
          capture.timestamp,
          capture.mode,
          capture.requestText ?? null,
          capture.responseText ?? null,
          capture.requestBytes,
          capture.responseBytes,
          capture.messageCount,
          capture.truncated ? 1 : 0,
        );
        // Already stored (a retried batch): its metadata is too.
        if (result.changes === 0) continue;
        if (capture.searchText !== undefined && capture.searchText !== '') insertSearch.run(result.lastInsertRowid, capture.searchText);
      }
      for (const [name, value] of Object.entries(capture.metadata)) insertMetadata.run(capture.requestId, capture.timestamp, name, value);
    }
  });
}

/** Payloads and request metadata in SQL (SQLite with FTS5, or PostgreSQL with a tsvector GIN index). */
export class SqlPayloadStore implements PayloadStore {
  private readonly kysely: Kysely<DatabaseSchema>;
  private readonly reads: Kysely<DatabaseSchema>;
  private readonly sqlite: Database['sqlite'];
  private readonly appendSqlite: ((captures: CapturedRequest[]) => void) | undefined;

  constructor(database: Pick<Database, 'kysely'> & Partial<Pick<Database, 'sqlite' | 'reader'>>) {
    this.kysely = database.kysely;
    this.reads = database.reader ?? database.kysely;
    this.sqlite = database.sqlite;
    this.appendSqlite = database.sqlite ? createSqliteAppend(database.sqlite) : undefined;
  }

  async append(captures: CapturedRequest[]): Promise<void> {
    if (captures.length === 0) return;
    if (this.appendSqlite !== undefined) {
      // As in the SQLite ledger: never join an admin transaction that Kysely holds open.
      while (this.sqlite?.inTransaction === true) await new Promise((resolve) => setTimeout(resolve, 1));
      this.appendSqlite(captures);
      return;
    }
    await this.kysely.transaction().execute(async (transaction) => {
      const inserted: CapturedRequest[] = [];
      for (let start = 0; start < captures.length; start += rowsPerInsert) {
        const chunk = captures.slice(start, start + rowsPerInsert);
        const stored = chunk.filter((capture) => capture.mode !== 'metadata');
        const insertedIds = new Set<string>();
        if (stored.length > 0) {
          const result = await transaction
            .insertInto('request_payloads')
            .values(
              stored.map((capture) => ({
                request_id: capture.requestId,
                timestamp: capture.timestamp,
                mode: capture.mode,
                request_text: capture.requestText ?? null,
                response_text: capture.responseText ?? null,
                request_bytes: capture.requestBytes,
                response_bytes: capture.responseBytes,
                message_count: capture.messageCount,
                truncated: capture.truncated ? 1 : 0,
                search: sql`to_tsvector('simple', ${capture.searchText ?? ''})`,
              })) as never,
            )
            .onConflict((conflict) => conflict.column('request_id').doNothing())
            .returning('request_id')
            .execute();
          for (const entry of result) insertedIds.add(entry.request_id);
        }
        const metadataOnly = chunk.filter((capture) => capture.mode === 'metadata').map((capture) => capture.requestId);
        const known = new Set(
          metadataOnly.length === 0
            ? []
            : (await transaction.selectFrom('request_metadata').select('request_id').where('request_id', 'in', metadataOnly).execute()).map((entry) => entry.request_id),
        );
        for (const capture of chunk) {
          if (capture.mode === 'metadata' ? !known.has(capture.requestId) : insertedIds.has(capture.requestId)) inserted.push(capture);
        }
      }
      const pairs = metadataRows(inserted);
      for (let start = 0; start < pairs.length; start += rowsPerInsert) {
        await transaction.insertInto('request_metadata').values(pairs.slice(start, start + rowsPerInsert)).execute();
      }
    });
  }

  async get(requestId: string): Promise<StoredPayload | undefined> {
    const row = await this.reads
      .selectFrom('request_payloads')
      .select(['request_id', 'timestamp', 'mode', 'request_text', 'response_text', 'request_bytes', 'response_bytes', 'message_count', 'truncated'])
      .where('request_id', '=', requestId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const truncated = Number(row.truncated) === 1;
    const payload: StoredPayload = {
      requestId: row.request_id,
      timestamp: Number(row.timestamp),
      mode: row.mode as PayloadMode,
      requestBytes: Number(row.request_bytes),
      responseBytes: Number(row.response_bytes),
      messageCount: Number(row.message_count),
      truncated,
    };
    if (row.request_text !== null) payload.request = requestOf(row.request_text);
    if (row.response_text !== null) payload.response = { text: row.response_text };
    return payload;
  }

  async metadataOf(requestId: string): Promise<Record<string, string>> {
    const rows = await this.reads.selectFrom('request_metadata').select(['name', 'value']).where('request_id', '=', requestId).execute();
    return Object.fromEntries(rows.map((row) => [row.name, row.value]));
  }

  async prune(olderThan: number, limit = Number.MAX_SAFE_INTEGER): Promise<number> {
    if (this.sqlite !== undefined) {
      const sqlite = this.sqlite;
      while (sqlite.inTransaction) await new Promise((resolve) => setTimeout(resolve, 1));
      const oldest = 'select seq from request_payloads where timestamp < ? order by timestamp limit ?';
      const deleteSearch = sqlite.prepare(`delete from request_payloads_fts where rowid in (${oldest})`);
      const deletePayloads = sqlite.prepare(`delete from request_payloads where seq in (${oldest})`);
      return sqlite.transaction(() => {
        deleteSearch.run(olderThan, limit);
        return deletePayloads.run(olderThan, limit).changes;
      })();
    }
    const result = await this.kysely
      .deleteFrom('request_payloads')
      .where('request_id', 'in', (select) => select.selectFrom('request_payloads').select('request_id').where('timestamp', '<', olderThan).orderBy('timestamp').limit(limit))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async pruneMetadata(olderThan: number, limit = Number.MAX_SAFE_INTEGER): Promise<number> {
    // By request, so a request never loses only some of its pairs; a batch may pass `limit` by a few pairs.
    const result = await this.kysely
      .deleteFrom('request_metadata')
      .where('request_id', 'in', (select) => select.selectFrom('request_metadata').select('request_id').where('timestamp', '<', olderThan).orderBy('timestamp').limit(limit))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
