import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { openRedis, type RedisConnection, type RedisConnectionOptions } from '../redis-connection.js';

/** Redis on 127.0.0.1:6379 (CI starts it), or `SWITCHYARD_TEST_REDIS_URL`. */
export const redisTestUrl = process.env.SWITCHYARD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A key and channel prefix no other test run uses (runs share one Redis), so tests never see each other's
 * keys or messages; delete what it covers with {@link deleteKeysWithPrefix} afterwards.
 */
export function uniqueRedisPrefix(name: string): string {
  return `switchyard-test:${name}:${randomUUID().slice(0, 8)}:`;
}

/** Opens a test connection named `name` (so a test can find and kill it with {@link killRedisClient}). */
export function openRedisTestConnection(name: string, options: RedisConnectionOptions = {}): Promise<RedisConnection> {
  return openRedis(redisTestUrl, { connectionName: name, ...options });
}

/** Deletes every key under `prefix`. */
export async function deleteKeysWithPrefix(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await client.del(...keys);
  } while (cursor !== '0');
}

/**
 * Closes the server side of every connection named `connectionName`, as a network failure or a Redis restart
 * would; the client sees its socket drop and reconnects. Returns how many connections were killed.
 */
export async function killRedisClient(admin: Redis, connectionName: string): Promise<number> {
  const list = (await admin.call('CLIENT', 'LIST')) as string;
  const ids = list
    .split('\n')
    .map((line) => Object.fromEntries(line.split(' ').map((field) => field.split('=', 2) as [string, string])))
    .filter((fields) => fields.name === connectionName)
    .map((fields) => fields.id);
  for (const id of ids) await admin.call('CLIENT', 'KILL', 'ID', id);
  return ids.length;
}
