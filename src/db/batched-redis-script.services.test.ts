import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisScriptBatch } from './batched-redis-script.js';
import type { RedisConnection } from './redis-connection.js';
import { openRedisTestConnection } from './test-support/redis-test-connection.js';

describe('RedisScriptBatch on a running Redis', () => {
  let connection: RedisConnection;
  let scriptsSent = 0;
  beforeAll(async () => {
    connection = await openRedisTestConnection('batched-redis-script');
    // Count what leaves the client: one EVALSHA per batch (the real call still goes through).
    const evalsha = connection.client.evalsha.bind(connection.client) as (...args: unknown[]) => Promise<unknown>;
    (connection.client as unknown as { evalsha: (...args: unknown[]) => Promise<unknown> }).evalsha = (...args) => {
      scriptsSent += 1;
      return evalsha(...args);
    };
  });
  afterAll(async () => {
    await connection.close();
  });

  const batch = new RedisScriptBatch();
  // Each call increments its own key by its argument and answers {key's new value, its argument echoed}.
  const increment = batch.register(`-- ${randomUUID()}
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], 60000)
return { value, ARGV[2] }`);

  it('sends the calls of one turn as one script and answers each call with its own reply, in order', async () => {
    const prefix = `batched-test:${randomUUID()}:`;
    await increment.run(connection.client, [`${prefix}warm`], [0, 'load the script first']);
    const before = scriptsSent;
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, index) => increment.run(connection.client, [`${prefix}${index % 4}`], [index, `call-${index}`])),
    );
    expect(scriptsSent - before).toBe(1);
    // Calls on one key run in arrival order: each sees the sum of the earlier ones.
    const running = [0, 0, 0, 0];
    replies.forEach((reply, index) => {
      running[index % 4]! += index;
      expect(reply).toEqual([running[index % 4], `call-${index}`]);
    });
    expect(Number(await connection.client.get(`${prefix}3`))).toBe(running[3]);
  });

  it('sends calls of later turns in later scripts, and more than 128 calls of one turn in several', async () => {
    const key = `batched-test:${randomUUID()}`;
    const before = scriptsSent;
    expect(await increment.run(connection.client, [key], [1, 'a'])).toEqual([1, 'a']);
    expect(await increment.run(connection.client, [key], [1, 'b'])).toEqual([2, 'b']);
    expect(scriptsSent - before).toBe(2);
    const many = await Promise.all(Array.from({ length: 300 }, () => increment.run(connection.client, [key], [1, 'c'])));
    expect(scriptsSent - before).toBe(2 + 3);
    expect(many.map((reply) => (reply as [number])[0])).toEqual(Array.from({ length: 300 }, (_, index) => 3 + index));
  });

  const failing = batch.register(`-- ${randomUUID()}
if ARGV[1] == 'raise' then error('raised on purpose') end
if ARGV[1] == 'reply' then return redis.error_reply('refused on purpose') end
return tonumber(ARGV[1])`);

  it('fails only the call that returns an error reply', async () => {
    const results = await Promise.allSettled([failing.run(connection.client, [], ['1']), failing.run(connection.client, [], ['reply']), failing.run(connection.client, [], ['3'])]);
    expect(results.map((result) => (result.status === 'fulfilled' ? result.value : (result.reason as Error).message))).toEqual([1, 'refused on purpose', 3]);
  });

  it('fails every call of a batch when one raises an error, and serves the next batch', async () => {
    const results = await Promise.allSettled([failing.run(connection.client, [], ['1']), failing.run(connection.client, [], ['raise'])]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason.message).toMatch(/raised on purpose/);
    expect(await failing.run(connection.client, [], ['7'])).toBe(7);
  });

  // Reads a key as another script of the same batch would.
  const read = batch.register(`-- ${randomUUID()}
return tonumber(redis.call('GET', KEYS[1]) or '0')`);

  it('sends the calls of different scripts of one turn as one script, each in arrival order', async () => {
    const key = `batched-test:${randomUUID()}`;
    await read.run(connection.client, [key], []);
    const before = scriptsSent;
    const replies = await Promise.all([increment.run(connection.client, [key], [5, 'x']), read.run(connection.client, [key], []), increment.run(connection.client, [key], [2, 'y']), read.run(connection.client, [key], [])]);
    expect(scriptsSent - before).toBe(1);
    expect(replies).toEqual([[5, 'x'], 5, [7, 'y'], 7]);
  });

  it('sends a deferred call with the next call that is not deferred, before it', async () => {
    const key = `batched-test:${randomUUID()}`;
    await read.run(connection.client, [key], []);
    const before = scriptsSent;
    const deferred = increment.runDeferred(connection.client, [key], [3, 'later']);
    // Another turn: the deferred call is still waiting, and the next call carries it.
    await new Promise((resolve) => setImmediate(resolve));
    expect(scriptsSent - before).toBe(0);
    expect(await read.run(connection.client, [key], [])).toBe(3);
    expect(await deferred).toEqual([3, 'later']);
    expect(scriptsSent - before).toBe(1);
  });

  it('sends a deferred call on its own when nothing else comes, and on flush', async () => {
    const key = `batched-test:${randomUUID()}`;
    expect(await increment.runDeferred(connection.client, [key], [4, 'alone'])).toEqual([4, 'alone']);
    const pending = increment.runDeferred(connection.client, [key], [1, 'flushed']);
    await batch.flush(connection.client);
    expect(Number(await connection.client.get(key))).toBe(5);
    expect(await pending).toEqual([5, 'flushed']);
  });
});
