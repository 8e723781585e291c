import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DatabaseSchema } from './schema.js';
import { SqliteCheckpointer } from './sqlite-checkpointer.js';

/** Where the gateway keeps its state: one SQLite file (embedded preset) or PostgreSQL (scaled preset). */
export type DatabaseOptions =
  | {
      kind: 'sqlite';
      file: string;
      /**
       * Copy the write-ahead log into the file from a worker thread instead of inside the writer's commits
       * (default true for a file; see {@link SqliteCheckpointer}).
       */
      checkpointInBackground?: boolean;
      /** How often the background checkpoint runs (default 500 ms). */
      checkpointIntervalMs?: number;
      /**
       * With the background checkpoint: the log's length, in pages, past which the writer checkpoints in its
       * own commit after all (default 10,000 pages, 40 MB). See {@link defaultLogBoundPages}.
       */
      logBoundPages?: number;
    }
  | { kind: 'postgres'; url: string; maxConnections?: number };

/** An open database: one Kysely instance; every query is written once for both kinds. */
export interface Database {
  kysely: Kysely<DatabaseSchema>;
  kind: DatabaseOptions['kind'];
  /**
   * The SQLite handle (embedded preset only), for hot writes that reuse a prepared statement compiled by
   * Kysely: Kysely prepares every statement anew, which costs more than the insert itself.
   */
  sqlite?: BetterSqlite3.Database;
  /**
   * A second, read-only connection (SQLite only) for reads that may run while a transaction holds the main
   * connection: Kysely's SQLite driver has one connection, so a read issued from inside a transaction's work
   * (a budget's spend, seeded from the usage ledger) would otherwise wait for that transaction forever. In WAL
   * mode a reader sees the last committed state and never blocks the writer.
   */
  reader?: Kysely<DatabaseSchema>;
  /** The worker that checkpoints the SQLite log (a file database with `checkpointInBackground`). */
  checkpointer?: SqliteCheckpointer;
  close(): Promise<void>;
}

/**
 * Why the log needs a bound with the background checkpoint: SQLite starts the log over from its beginning only
 * when a write begins after a checkpoint has copied all of it. The worker's checkpoint runs beside the writer,
 * so under writes that never pause (a soak, a sustained peak) each checkpoint ends behind the newest commit and
 * the log never starts over: the 1M-request soak grew it to 8.7 GB at 750,000 requests. Past this many pages
 * SQLite's own automatic checkpoint runs in the writer's commit; by then the worker has copied most of the log,
 * so the writer copies the rest, and the next write starts the log over. The file is cut back to the same size.
 */
export const defaultLogBoundPages = 10_000;

/** Opens (and for SQLite, creates) the database. Run `migrateToLatest` before use. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.kind === 'sqlite') {
    const sqlite = new BetterSqlite3(options.file);
    // WAL lets readers (admin API, dashboard) run while the ledger writer commits; NORMAL sync is durable
    // across process crashes in WAL mode and much faster than FULL.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    const kysely = new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
    const readConnection = new BetterSqlite3(options.file, { readonly: true });
    readConnection.pragma('busy_timeout = 5000');
    const reader = new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: readConnection }) });
    const inMemory = options.file === ':memory:' || options.file === '' || options.file.startsWith('file::memory:');
    let checkpointer: SqliteCheckpointer | undefined;
    if (options.checkpointInBackground !== false && !inMemory) {
      checkpointer = new SqliteCheckpointer(options.file, () => {
        // The worker failed: the writer checkpoints in its commits again (SQLite's default of 1,000 pages).
        if (sqlite.open) sqlite.pragma('wal_autocheckpoint = 1000');
      }, options.checkpointIntervalMs);
      const bound = options.logBoundPages ?? defaultLogBoundPages;
      sqlite.pragma(`wal_autocheckpoint = ${bound}`);
      sqlite.pragma(`journal_size_limit = ${bound * Number(sqlite.pragma('page_size', { simple: true }))}`);
    }
    return {
      kysely,
      kind: 'sqlite',
      sqlite,
      reader,
      checkpointer,
      close: async () => {
        await checkpointer?.close();
        await reader.destroy();
        // The last connection to close copies what is left of the log into the file.
        await kysely.destroy();
      },
    };
  }
  const pool = new pg.Pool({ connectionString: options.url, max: options.maxConnections ?? 10 });
  // An idle client that loses its connection emits 'error' on the pool; without a listener that crashes
  // the process. The next query gets a fresh connection.
  pool.on('error', () => undefined);
  const kysely = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
  // Fail at start-up, not at the first request, when the server is unreachable.
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await kysely.destroy();
    throw error;
  }
  return { kysely, kind: 'postgres', close: () => kysely.destroy() };
}
