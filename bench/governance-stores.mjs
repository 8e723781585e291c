// Throwaway stores for the governance benchmark's scaled preset: a PostgreSQL schema in database `test` on
// 127.0.0.1:5432 (trust auth, user postgres or root, as the services tests use) and a Redis key prefix on
// 127.0.0.1:6379. Both are removed again when the benchmark ends, also when it fails.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';

const postgresUrls = process.env.SWITCHYARD_BENCH_POSTGRES_URL
  ? [process.env.SWITCHYARD_BENCH_POSTGRES_URL]
  : ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test'];
const redisUrl = 'redis://127.0.0.1:6379';

async function connectPostgres() {
  let lastError;
  for (const url of postgresUrls) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      return { client, url };
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(`PostgreSQL on 127.0.0.1:5432 (database test) is unreachable: ${lastError?.message}`);
}

/**
 * Creates a PostgreSQL schema and picks a Redis key prefix nobody uses. Returns the gateway's environment for
 * them (`SWITCHYARD_PRESET=scaled`, database URL with that `search_path`, Redis URL and prefix) and `remove`,
 * which drops the schema and deletes every Redis key under the prefix.
 */
export async function createScaledStores() {
  const suffix = randomBytes(4).toString('hex');
  const schema = `bench_governance_${suffix}`;
  const keyPrefix = `switchyard-bench-${suffix}`;
  const { client, url } = await connectPostgres();
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await client.query(`create schema "${schema}"`);
  } catch (error) {
    await client.end().catch(() => undefined);
    redis.disconnect();
    throw error;
  }
  const databaseUrl = `${url}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  let removed = false;
  return {
    schema,
    keyPrefix,
    environment: {
      SWITCHYARD_PRESET: 'scaled',
      SWITCHYARD_DATABASE_URL: databaseUrl,
      SWITCHYARD_REDIS_URL: redisUrl,
      SWITCHYARD_REDIS__KEY_PREFIX: keyPrefix,
    },
    async remove() {
      if (removed) return;
      removed = true;
      try {
        await client.query(`drop schema if exists "${schema}" cascade`);
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
          if (keys.length > 0) await redis.del(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        await client.end().catch(() => undefined);
        redis.disconnect();
      }
    },
  };
}
