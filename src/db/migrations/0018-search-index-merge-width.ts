import type { Migration } from 'kysely/migration';
import { searchIndexOptionMigration } from './search-index-option.js';

// SQLite's payload search index (FTS5): every batch of captured payloads commits one new index segment, and
// FTS5 merges segments of a level once `automerge` of them exist (default 4), so each entry is rewritten once
// per level it climbs. With 16 an entry climbs half as many levels. Measured on this index's own text: 16.9
// against 10.9 µs a payload at 150-payload batches, 26.2 against 19.4 µs while filling 400,000 payloads; the
// explorer's searches over those 400,000 took the same time within noise (a rare word 33 against 47 µs, a
// phrase 2.5 ms either way). The setting lives in the index's own config table, so it persists.
export const searchIndexMergeWidthMigration: Migration = searchIndexOptionMigration('automerge', 4, 16);
