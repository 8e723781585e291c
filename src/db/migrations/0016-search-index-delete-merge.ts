import type { Migration } from 'kysely/migration';
import { searchIndexOptionMigration } from './search-index-option.js';

// SQLite's payload search index (FTS5, contentless with deletes): by default a segment whose entries are more
// than 10 % deleted is rewritten by the next write, inside that write's transaction. A retention pass deletes
// thousands of payloads a batch, so one batch could rewrite a large segment and hold the database's write lock
// for tens of seconds (28 s in the 1M soak). With `deletemerge` 0 a delete only records the deletion; the
// space is reclaimed by the ordinary incremental merges that new rows trigger. Measured on 200,000 payloads:
// a 5,000-row retention batch took 755 ms median / 5.4 s max before, 33 ms / 0.1 s after. PostgreSQL has no
// such index (its GIN index is vacuumed). The setting lives in the index's own config table, so it persists.
export const searchIndexDeleteMergeMigration: Migration = searchIndexOptionMigration('deletemerge', 10, 0);
