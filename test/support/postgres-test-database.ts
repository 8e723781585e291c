import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { migrateToLatest, openDatabase, type Database } from '../../src/db/index.js';

// PostgreSQL on 127.0.0.1:5432 with trust auth (CI starts it), as user `postgres` or else `root`, database
// `test`. Every fixture gets its own schema, so runs never see each other's rows and nothing is left behind.
const candidateUrls = process.env.SWITCHYARD_TEST_POSTGRES_URL
  ? [process.env.SWITCHYARD_TEST_POSTGRES_URL]
  : ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test'];
const runId = randomUUID().slice(0, 8);
let schemaCount = 0;
let connected: Promise<{ admin: pg.Client; baseUrl: string }> | undefined;

async function connectAdmin(): Promise<{ admin: pg.Client; baseUrl: string }> {
  let lastError: unknown;
  for (const url of candidateUrls) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      return { admin: client, baseUrl: url };
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
    }
  }
  throw lastError;
}

/** A connection URL whose `search_path` is a new, empty schema, and how to drop it. */
export async function createPostgresTestSchema(prefix = 'test'): Promise<{ url: string; drop: () => Promise<void> }> {
  connected ??= connectAdmin();
  const { admin, baseUrl } = await connected;
  schemaCount += 1;
  const schema = `${prefix}_${runId}_${schemaCount}`;
  await admin.query(`create schema "${schema}"`);
  const url = `${baseUrl}${baseUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return { url, drop: async () => void (await admin.query(`drop schema "${schema}" cascade`)) };
}

/** A migrated PostgreSQL database in its own schema, and how to close and drop it. */
export async function openPostgresTestDatabase(prefix = 'test'): Promise<{ database: Database; url: string; dispose: () => Promise<void> }> {
  const { url, drop } = await createPostgresTestSchema(prefix);
  const database = await openDatabase({ kind: 'postgres', url, maxConnections: 4 });
  try {
    await migrateToLatest(database);
  } catch (error) {
    await database.close();
    await drop();
    throw error;
  }
  return {
    database,
    url,
    dispose: async () => {
      await database.close();
      await drop();
    },
  };
}

/** Closes the shared admin connection (call from `afterAll`). */
export async function closePostgresTestAdmin(): Promise<void> {
  if (connected === undefined) return;
  const { admin } = await connected;
  connected = undefined;
  await admin.end();
}
