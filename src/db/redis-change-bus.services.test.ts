import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeRecorder, describeChangeBusContract } from './change-bus-contract.js';
import { resyncTopic } from './change-bus.js';
import { RedisChangeBus } from './redis-change-bus.js';
import type { RedisConnection } from './redis-connection.js';
import { killRedisClient, openRedisTestConnection, uniqueRedisPrefix } from './test-support/redis-test-connection.js';

/** One replica: its command connection and a bus whose subscriber connection is named after it. */
async function openReplica(name: string, channelPrefix: string, onError?: (error: Error) => void) {
  const connection = await openRedisTestConnection(`${name}-commands`);
  const bus = await RedisChangeBus.open({ publisher: connection.client, subscriber: await connection.duplicate(`${name}-subscriber`), channelPrefix, onError });
  return { connection, bus, close: async () => void (await Promise.all([bus.close(), connection.close()])) };
}

describeChangeBusContract('Redis', async () => {
  const prefix = uniqueRedisPrefix('change-bus');
  const first = await openReplica(`${prefix}first`, prefix);
  const second = await openReplica(`${prefix}second`, prefix);
  return { first: first.bus, second: second.bus, dispose: async () => void (await Promise.all([first.close(), second.close()])) };
});

describe('RedisChangeBus', () => {
  let admin: RedisConnection;
  beforeAll(async () => {
    admin = await openRedisTestConnection('change-bus-admin');
  });
  afterAll(async () => {
    await admin.close();
  });

  it('sends a resync to every listener once its subscription is back after a lost connection, then delivers again', async () => {
    const prefix = uniqueRedisPrefix('change-bus-resync');
    const publisher = await openReplica(`${prefix}publisher`, prefix);
    const subscriber = await openReplica(`${prefix}subscriber`, prefix);
    try {
      const topicListener = new ChangeRecorder();
      const everything = new ChangeRecorder();
      subscriber.bus.subscribe('virtual-key', topicListener.listener);
      subscriber.bus.subscribe(resyncTopic, everything.listener);

      expect(await killRedisClient(admin.client, `${prefix}subscriber-subscriber`)).toBe(1);
      expect(await topicListener.until(1)).toEqual([{ topic: resyncTopic, payload: { id: 'resync' } }]);
      expect(await everything.until(1)).toEqual([{ topic: resyncTopic, payload: { id: 'resync' } }]);

      // The resync comes only after the subscription is active again, so this change is not lost.
      await publisher.bus.publish('virtual-key', { id: 'key_after' });
      expect((await topicListener.until(2))[1]).toEqual({ topic: 'virtual-key', payload: { id: 'key_after' } });
    } finally {
      await Promise.all([publisher.close(), subscriber.close()]);
    }
  });

  it('ignores what is not a change on its channel, and reports it', async () => {
    const prefix = uniqueRedisPrefix('change-bus-garbage');
    const errors: string[] = [];
    const replica = await openReplica(`${prefix}replica`, prefix, (error) => errors.push(error.message));
    try {
      const recorder = new ChangeRecorder();
      replica.bus.subscribe(resyncTopic, recorder.listener);
      await admin.client.publish(`${prefix}changes`, 'not json');
      await admin.client.publish(`${prefix}changes`, JSON.stringify({ topic: 'virtual-key', payload: { id: 7 } }));
      await admin.client.publish(`${prefix}changes`, JSON.stringify({ topic: 'Bad Topic', payload: { id: 'x' } }));
      await replica.bus.publish('virtual-key', { id: 'marker' });
      expect((await recorder.until(1)).map((change) => change.payload.id)).toEqual(['marker']);
      expect(errors).toEqual([
        'Change bus ignored a message that is not JSON',
        'Change bus ignored a message that is not a change',
        'Change bus ignored a message that is not a change',
      ]);
    } finally {
      await replica.close();
    }
  });

  it('keeps installations with different prefixes apart', async () => {
    const first = await openReplica('change-bus-install-a', uniqueRedisPrefix('install-a'));
    const second = await openReplica('change-bus-install-b', uniqueRedisPrefix('install-b'));
    try {
      const foreign = new ChangeRecorder();
      const own = new ChangeRecorder();
      second.bus.subscribe('virtual-key', foreign.listener);
      first.bus.subscribe('virtual-key', own.listener);
      await first.bus.publish('virtual-key', { id: 'key_1' });
      await own.until(1);
      // Redis writes a published message to every subscriber's socket before it answers the publisher, so
      // once a later marker arrives on the other installation, key_1 would have arrived before it.
      await second.bus.publish('virtual-key', { id: 'marker' });
      expect((await foreign.until(1)).map((change) => change.payload.id)).toEqual(['marker']);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});
