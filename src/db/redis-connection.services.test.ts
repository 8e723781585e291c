import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisConnection } from './redis-connection.js';
import { killRedisClient, openRedisTestConnection } from './test-support/redis-test-connection.js';

/** Resolves when `register` calls back, or rejects after two seconds. */
function nextCall(register: (callback: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('not called within 2 s')), 2_000);
    register(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('openRedis on a running Redis', () => {
  let admin: RedisConnection;
  beforeAll(async () => {
    admin = await openRedisTestConnection('redis-connection-admin');
  });
  afterAll(async () => {
    await admin.close();
  });

  it('survives a lost connection, reports it once, reconnects and serves commands again', async () => {
    const name = `redis-connection-${randomUUID().slice(0, 8)}`;
    const events: string[] = [];
    let onLost = () => undefined as void;
    let onRestored = () => undefined as void;
    const connection = await openRedisTestConnection(name, {
      onConnectionLost: (error) => {
        events.push(`lost: ${error.message}`);
        onLost();
      },
      onConnectionRestored: () => {
        events.push('restored');
        onRestored();
      },
    });
    try {
      expect(await connection.client.ping()).toBe('PONG');
      const lost = nextCall((callback) => (onLost = callback));
      const restored = nextCall((callback) => (onRestored = callback));
      expect(await killRedisClient(admin.client, name)).toBe(1);
      await lost;
      await restored;
      expect(events).toEqual([`lost: Redis at ${connection.target}: connection closed`, 'restored']);
      expect(await connection.client.ping()).toBe('PONG');
    } finally {
      await connection.close();
    }
  });

  it('opens a duplicate as its own connection, and a closed connection stays closed', async () => {
    const name = `redis-connection-${randomUUID().slice(0, 8)}`;
    const connection = await openRedisTestConnection(name);
    const copy = await connection.duplicate(`${name}-copy`);
    expect(await copy.client.client('GETNAME')).toBe(`${name}-copy`);
    await copy.close();
    await copy.close();
    expect(copy.client.status).toBe('end');
    await expect(copy.client.ping()).rejects.toThrow(/closed/i);
    expect(await connection.client.ping()).toBe('PONG');
    await connection.close();
  });
});
