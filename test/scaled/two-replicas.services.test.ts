import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeysWithPrefix, openRedisTestConnection, redisTestUrl, uniqueRedisPrefix } from '../../src/db/test-support/redis-test-connection.js';
import type { RedisConnection } from '../../src/db/redis-connection.js';
import { buildCli, eventually } from '../cli/cli-process.js';
import type { MockProvider } from '../mock-providers/mock-provider.js';
import { startOpenAIMock } from '../mock-providers/openai-mock.js';
import { closePostgresTestAdmin, createPostgresTestSchema } from '../support/postgres-test-database.js';
import {
  admin,
  awaitDefinitionsOn,
  chat,
  createKeyOn,
  createWorkspaceOn,
  ledgerRowsOf,
  startReplica,
  type Replica,
} from './scaled-replicas.js';

// The scale-out acceptance test: two `switchyard start` processes of the scaled preset on one PostgreSQL
// schema and one Redis key prefix, driven concurrently through both. Rate limits and budgets hold exactly
// across them, key changes made on one are effective on the other within the change bus's bound, and a
// replica stopped with SIGTERM mid-traffic has written the ledger row of every request it answered.
//
// Both replicas start at the same time and migrate the same empty schema concurrently: Kysely's migrator
// holds a PostgreSQL advisory lock while it migrates, so one applies the migrations and the other finds
// nothing left to do.
//
// Prices are set high (2,500 micro-dollars a token) so every request costs about 20,000 micro-dollars.

const pricePerTokenMicros = 2_500;
let upstream: MockProvider;
let replicaA: Replica;
let replicaB: Replica;
let dropSchema: (() => Promise<void>) | undefined;
let redis: RedisConnection | undefined;
let redisKeyPrefix: string;

beforeAll(async () => {
  buildCli();
  upstream = await startOpenAIMock();
  const schema = await createPostgresTestSchema('scaled');
  dropSchema = schema.drop;
  redis = await openRedisTestConnection('switchyard-scaled-test');
  // uniqueRedisPrefix ends with ':'; the gateway adds the colon after `redis.keyPrefix` itself.
  redisKeyPrefix = uniqueRedisPrefix('two-replicas').slice(0, -1);
  const stores = { databaseUrl: schema.url, redisUrl: redisTestUrl, redisKeyPrefix };
  const config = {
    logging: { level: 'silent' },
    discoverProviders: false,
    providers: [{ name: 'openai', kind: 'openai', apiKey: 'sk-upstream', baseUrl: upstream.baseUrl }],
    routing: { maxRetries: 0, timeouts: { firstTokenMs: 5_000, idleMs: 5_000, totalMs: 10_000 } },
    pricing: { 'gpt-4o-mini': { inputPerMillion: pricePerTokenMicros, outputPerMillion: pricePerTokenMicros } },
  };
  [replicaA, replicaB] = await Promise.all([startReplica('A', stores, config), startReplica('B', stores, config)]);
}, 120_000);

afterAll(async () => {
  for (const replica of [replicaA, replicaB]) {
    if (replica === undefined) continue;
    await replica.process.stop('SIGKILL', 5_000);
    replica.workspace.remove();
  }
  await upstream?.close();
  await dropSchema?.();
  await closePostgresTestAdmin();
  if (redis !== undefined) {
    await deleteKeysWithPrefix(redis.client, `${redisKeyPrefix}:`);
    await redis.close();
  }
}, 30_000);

/** Whether Redis holds any key under `prefix` (walks the whole keyspace: the Redis is shared with other runs). */
async function hasKeyWithPrefix(client: Redis, prefix: string): Promise<boolean> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) return true;
    cursor = next;
  } while (cursor !== '0');
  return false;
}

describe('two replicas on one PostgreSQL and one Redis', () => {
  it('both started on the scaled preset and share one key prefix in Redis', () => {
    for (const replica of [replicaA, replicaB]) expect(replica.process.stdout()).toMatch(/preset scaled/);
    expect(replicaA.url).not.toBe(replicaB.url);
  });

  it('enforce one rate limit exactly across both replicas', async () => {
    const workspaceId = await createWorkspaceOn(replicaA, 'scaled-rate-limit');
    const key = await createKeyOn(replicaA, workspaceId);
    const limit = await admin(replicaA, 'POST', '/limits', { scope: 'key', scopeId: key.id, metric: 'requests', limit: 20, windowMs: 60_000 });
    expect(limit.status).toBe(201);
    await awaitDefinitionsOn(replicaB, replicaA, workspaceId);

    const answers = await Promise.all(Array.from({ length: 60 }, (_, index) => chat(index % 2 === 0 ? replicaA : replicaB, key.secret)));
    const admitted = answers.filter((answer) => answer.status === 200);
    expect(admitted).toHaveLength(20);
    // One limit per replica would have admitted 40.
    for (const answer of answers.filter((candidate) => candidate.status !== 200)) {
      expect(answer.status).toBe(429);
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(answer.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    }
    // The counters live in Redis under the configured prefix.
    expect(await hasKeyWithPrefix(redis!.client, `${redisKeyPrefix}:`)).toBe(true);
  }, 30_000);

  it('hold one budget across both replicas: the ledger never spends past the limit and the budget shows the ledger sum', async () => {
    const workspaceId = await createWorkspaceOn(replicaA, 'scaled-budget');
    const key = await createKeyOn(replicaA, workspaceId);
    const limitMicros = 300_000;
    const budget = await admin<{ id: string }>(replicaA, 'POST', '/budgets', { scope: 'key', scopeId: key.id, period: 'month', limitMicros });
    expect(budget.status).toBe(201);
    await awaitDefinitionsOn(replicaB, replicaA, workspaceId);

    // Rounds of 8 concurrent requests, 4 on each replica, until a whole round is refused.
    let admitted = 0;
    let refusal: Awaited<ReturnType<typeof chat>> | undefined;
    for (let round = 0; round < 40; round++) {
      const answers = await Promise.all(Array.from({ length: 8 }, (_, index) => chat(index % 2 === 0 ? replicaA : replicaB, key.secret)));
      for (const answer of answers) {
        if (answer.status === 200) admitted += 1;
        else refusal = answer;
      }
      if (answers.every((answer) => answer.status !== 200)) break;
    }
    expect(admitted).toBeGreaterThan(0);
    expect(refusal).toBeDefined();
    expect(refusal!.status).toBe(429);
    expect((refusal!.body as { error: { code?: string; type?: string } }).error).toMatchObject({ type: 'insufficient_quota' });
    expect(refusal!.headers.get('x-should-retry')).toBe('false');

    const served = await eventually(async () => {
      const rows = (await ledgerRowsOf(replicaB, key.id)).filter((row) => row.status === 'ok');
      return rows.length === admitted ? rows : undefined;
    }, 5_000);
    const spent = served.reduce((sum, row) => sum + (row.costMicros ?? 0), 0);
    expect(spent).toBeLessThanOrEqual(limitMicros);
    // Requests went on until what was left could not pay for another worst case (prompt estimate + 10 output tokens).
    expect(spent).toBeGreaterThan(limitMicros - 40 * pricePerTokenMicros);
    await expect
      .poll(async () => (await admin<{ state: { spentMicros: number; reservedMicros: number } }>(replicaB, 'GET', `/budgets/${budget.body.id}`)).body.state, { timeout: 5_000 })
      .toMatchObject({ spentMicros: spent, reservedMicros: 0 });
  }, 60_000);

  it('refuse a key revoked on A on B within the change bus bound, and serve a key created on B on A at once', async () => {
    const workspaceId = await createWorkspaceOn(replicaA, 'scaled-keys');
    const revoked = await createKeyOn(replicaA, workspaceId);
    // B caches the key first, so the revocation has to reach B's cache through the change bus.
    expect((await chat(replicaB, revoked.secret)).status).toBe(200);
    expect((await admin(replicaA, 'DELETE', `/keys/${revoked.id}`)).status).toBe(200);
    const revokedAt = performance.now();
    const refusal = await eventually(async () => {
      const answer = await chat(replicaB, revoked.secret);
      return answer.status === 200 ? undefined : answer;
    }, 2_000, 5);
    const propagationMs = performance.now() - revokedAt;
    expect(refusal.status).toBe(401);
    expect(JSON.stringify(refusal.body)).not.toContain(revoked.secret);
    expect(propagationMs).toBeLessThan(2_000);

    const created = await createKeyOn(replicaB, workspaceId);
    const answer = await chat(replicaA, created.secret);
    expect(answer.status).toBe(200);
  }, 30_000);

  it('write the ledger row of every request a replica answered before SIGTERM stopped it mid-traffic', async () => {
    // SIGTERM drains: the server stops accepting, the requests in flight finish, then the batched ledger
    // writer flushes and the process exits 0. SIGKILL would not: rows the writer holds are lost, that is the
    // requests answered within the last flush interval (`ledger.flushIntervalMs`, 50 ms by default), plus any
    // rows kept for a retry while PostgreSQL was failing. SIGKILL is therefore not tested as lossless.
    const workspaceId = await createWorkspaceOn(replicaA, 'scaled-shutdown');
    const key = await createKeyOn(replicaA, workspaceId);
    // Slow answers keep requests in flight when the signal arrives.
    upstream.enqueue(...Array.from({ length: 400 }, () => ({ kind: 'text' as const, delayMs: 150 })));

    const acknowledged: string[] = [];
    const acknowledgedAfterSignal: string[] = [];
    const incompleteStreams: string[] = [];
    let signalSent = false;
    let startSignal: () => void = () => undefined;
    const enoughTraffic = new Promise<void>((resolve) => (startSignal = resolve));
    const worker = async (workerIndex: number) => {
      for (let sequence = 0; sequence < 200; sequence++) {
        const requestId = `shutdown-${workerIndex}-${sequence}`;
        const answer = await chat(replicaA, key.secret, { requestId, stream: workerIndex % 2 === 1 }).catch(() => undefined);
        if (answer === undefined || answer.status !== 200) return;
        acknowledged.push(requestId);
        if (workerIndex % 2 === 1 && !(answer.body as { text: string }).text.includes('[DONE]')) incompleteStreams.push(requestId);
        if (signalSent) acknowledgedAfterSignal.push(requestId);
        if (acknowledged.length >= 12) startSignal();
      }
    };
    const workers = Promise.all(Array.from({ length: 6 }, (_, index) => worker(index)));
    await Promise.race([enoughTraffic, workers]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(12);
    signalSent = true;
    replicaA.process.child.kill('SIGTERM');
    let exitTimer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([
      replicaA.process.exited,
      new Promise<'no exit within 10 s'>((resolve) => (exitTimer = setTimeout(() => resolve('no exit within 10 s'), 10_000))),
    ]);
    clearTimeout(exitTimer);
    expect(exit).toEqual({ code: 0, signal: null });
    await workers;
    upstream.reset();

    // Requests were in flight when the signal arrived, and they were answered to the end.
    expect(acknowledgedAfterSignal.length).toBeGreaterThan(0);
    expect(incompleteStreams).toEqual([]);
    // A has exited, so whatever it acknowledged must already be in PostgreSQL: read through B, no waiting.
    const stored = new Set((await ledgerRowsOf(replicaB, key.id)).filter((row) => row.status === 'ok').map((row) => row.id));
    expect(acknowledged.filter((requestId) => !stored.has(requestId))).toEqual([]);
    expect(stored.size).toBe(acknowledged.length);
  }, 60_000);
});
