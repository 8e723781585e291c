import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freeLoopbackPort as closedPort } from '../../test/support/free-port.js';
import { describeRedisTarget, openRedis, RedisUnreachableError } from './redis-connection.js';

describe('openRedis', () => {
  it('fails at start with a clear error that names the address but not the password', async () => {
    const port = await closedPort();
    const opening = openRedis(`redis://gateway:hunter2@127.0.0.1:${port}/2`, { connectTimeoutMs: 500 });
    await expect(opening).rejects.toBeInstanceOf(RedisUnreachableError);
    const error = (await opening.catch((caught: unknown) => caught)) as Error;
    expect(error.message).toBe(`Redis at redis://127.0.0.1:${port}/2 is unreachable: connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(error.message).not.toContain('hunter2');
  });

  it('fails at start when the server accepts the connection but never answers', async () => {
    // A server that holds sockets open in silence: the ready check never gets its answer.
    const sockets: Array<import('node:net').Socket> = [];
    const server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    try {
      await expect(openRedis(`redis://127.0.0.1:${address.port}`, { connectTimeoutMs: 300, commandTimeoutMs: 300 })).rejects.toBeInstanceOf(RedisUnreachableError);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('describeRedisTarget', () => {
  it('keeps scheme, host, port and database, and drops credentials', () => {
    expect(describeRedisTarget('redis://user:secret@cache.internal:6380/3')).toBe('redis://cache.internal:6380/3');
    expect(describeRedisTarget('rediss://:secret@cache.internal')).toBe('rediss://cache.internal:6379');
    expect(describeRedisTarget('not a url secret')).toBe('the configured Redis URL (unparseable)');
  });
});
