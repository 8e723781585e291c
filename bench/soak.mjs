// Storage soak (issue 4): writes N synthetic requests (ledger rows + captured payloads) through the real
// store code on SQLite and on PostgreSQL, reports bytes per request as it grows, the request explorer's
// common queries (p50 / p95 over repeats), then runs retention and shows storage shrinking back.
//
//   npm run soak -- [--count 1000000] [--backend sqlite|postgres|both] [--refill 100000] [--repeats 20] [--max-minutes 90]
//
// PostgreSQL: 127.0.0.1:5432, database `test` (user postgres or root), in a schema of its own that is dropped
// first and at the end. Bounded: writing stops at --max-minutes; every phase has a fixed count.
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase } from '../src/db/index.ts';
import { SqlUsageLedger } from '../src/observatory/sql-usage-ledger.ts';
import { SqlPayloadStore } from '../src/observatory/payloads/sql-payload-store.ts';
import { captureRequest } from '../src/observatory/payloads/capture-request.ts';
import { RetentionJob } from '../src/observatory/retention/retention-job.ts';
import { SqlAnalytics } from '../src/observatory/analytics/sql-analytics.ts';
import { resolveOverviewRange } from '../src/observatory/analytics/analytics-types.ts';
import { syntheticTraffic, random } from './soak-data.mjs';

const { values: options } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    backend: { type: 'string', default: 'both' },
    refill: { type: 'string' },
    repeats: { type: 'string', default: '20' },
    'max-minutes': { type: 'string', default: '90' },
  },
});
const count = Number(options.count);
const refillCount = options.refill === undefined ? Math.round(count / 10) : Number(options.refill);
const repeats = Number(options.repeats);
const deadline = Date.now() + Number(options['max-minutes']) * 60_000;
const dayMs = 86_400_000;
const until = Date.UTC(2026, 10, 27);
const since = until - 60 * dayMs;
const policy = { requestsDays: 30, payloadsDays: 14, rollupsDays: 730 };
const tables = ['usage_ledger', 'usage_daily', 'usage_rollups', 'request_payloads', 'request_metadata'];

const log = (line) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

function modeOf(index) {
  const slot = index % 20;
  return slot === 0 ? 'metadata' : slot <= 3 ? 'redacted' : 'full';
}

async function openSqlite() {
  const folder = mkdtempSync(join(tmpdir(), 'switchyard-soak-'));
  const file = join(folder, 'soak.db');
  const database = await openDatabase({ kind: 'sqlite', file });
  await migrateToLatest(database);
  return {
    name: 'SQLite',
    database,
    batchSize: 5_000,
    async bytes() {
      // The background checkpointer may hold the checkpoint lock (after VACUUM it copies the whole database):
      // wait until a checkpoint has emptied the log, so the size is the database's, not the log's.
      for (let attempt = 0; attempt < 600; attempt += 1) {
        const [result] = database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
        if (result.busy === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const wal = `${file}-wal`;
      return statSync(file).size + (existsSync(wal) ? statSync(wal).size : 0);
    },
    async compact() {
      database.sqlite.exec('VACUUM');
      return 'VACUUM';
    },
    async reclaim() {
      const free = database.sqlite.pragma('freelist_count', { simple: true });
      const page = database.sqlite.pragma('page_size', { simple: true });
      return `${((free * page) / 1e6).toFixed(0)} MB in free pages, reused by new rows`;
    },
    async close() {
      await database.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

async function openPostgres() {
  const urls = process.env.SWITCHYARD_BENCH_POSTGRES_URL ? [process.env.SWITCHYARD_BENCH_POSTGRES_URL] : ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test'];
  let admin;
  let baseUrl;
  for (const url of urls) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      admin = client;
      baseUrl = url;
      break;
    } catch {
      await client.end().catch(() => undefined);
    }
  }
  if (admin === undefined) throw new Error('PostgreSQL on 127.0.0.1:5432 (database test) is unreachable');
  const schema = 'switchyard_soak';
  await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.query(`create schema ${schema}`);
  const url = `${baseUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const database = await openDatabase({ kind: 'postgres', url, maxConnections: 4 });
  await migrateToLatest(database);
  const size = async () => {
    const result = await admin.query(`select sum(pg_total_relation_size(format('%I.%I', $1::text, name)))::bigint as bytes from unnest($2::text[]) as name`, [schema, tables]);
    return Number(result.rows[0].bytes);
  };
  return {
    name: 'PostgreSQL',
    database,
    batchSize: 2_000,
    bytes: size,
    async compact() {
      for (const table of tables) await admin.query(`vacuum full ${schema}.${table}`);
      return 'VACUUM FULL';
    },
    async reclaim() {
      for (const table of tables) await admin.query(`vacuum ${schema}.${table}`);
      const dead = await admin.query(`select coalesce(sum(n_dead_tup), 0)::bigint as dead from pg_stat_user_tables where schemaname = $1`, [schema]);
      return `plain VACUUM: ${dead.rows[0].dead} dead tuples left; freed space is reused by new rows`;
    },
    async close() {
      await database.close();
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    },
  };
}

// Generating and capturing text costs more than storing it: a pool of captured payloads (built once by the
// real capture code, in each mode) is reused, each use with its own request id, timestamp and metadata.
const poolSize = 4_000;
const pool = new Map();

function captureOf(request, index) {
  const slot = index % poolSize;
  const mode = modeOf(index);
  const key = `${slot}:${mode}`;
  let template = pool.get(key);
  if (template === undefined) {
    template = captureRequest(request.row, request.body, request.output, mode, 32_768);
    pool.set(key, template);
  }
  const metadata = request.body.metadata ?? {};
  return { ...template, requestId: request.row.id, timestamp: request.row.timestamp, metadata };
}

async function write(store, ledger, payloads, traffic, total, checkpoints, bounded = true) {
  const growth = [];
  let written = 0;
  let newest = 0;
  let batch = [];
  let captures = [];
  const started = performance.now();
  for (;;) {
    const request = traffic.next();
    if (request !== undefined) {
      batch.push(request.row);
      newest = request.row.timestamp;
      captures.push(captureOf(request, written + batch.length));
    }
    if (batch.length >= store.batchSize || (request === undefined && batch.length > 0)) {
      await ledger.append(batch);
      await payloads.append(captures);
      written += batch.length;
      batch = [];
      captures = [];
      if (checkpoints.includes(written)) {
        const bytes = await store.bytes();
        const seconds = (performance.now() - started) / 1000;
        growth.push({ rows: written, bytes, perRequest: Math.round(bytes / written), rowsPerSecond: Math.round(written / seconds) });
        log(`${store.name}: ${written} rows, ${(bytes / 1e6).toFixed(0)} MB, ${Math.round(bytes / written)} B/request, ${Math.round(written / seconds)} rows/s`);
      }
      if (bounded && Date.now() > deadline) {
        log(`${store.name}: --max-minutes reached after ${written} rows; stopping the write phase`);
        break;
      }
    }
    if (request === undefined) break;
  }
  if (growth.at(-1)?.rows !== written) {
    const bytes = await store.bytes();
    growth.push({ rows: written, bytes, perRequest: Math.round(bytes / Math.max(1, written)), rowsPerSecond: Math.round(written / ((performance.now() - started) / 1000)) });
  }
  return { written, growth, newest };
}

async function overview(analytics, now, span, groupBy, scope) {
  const range = resolveOverviewRange({ since: now - span, until: now }, now);
  const answer = await analytics.overview({ since: range.since, until: range.until, bucketMs: range.bucketMs, groupBy, scope }, range.source);
  return answer.series;
}

function percentile(sorted, share) {
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))];
}

async function timeQueries(ledger, payloads, traffic, written, newestTime, analytics) {
  const next = random(7);
  const pickKey = () => traffic.keys[Math.floor(next() * 40)].keyId;
  const word = (low, high) => traffic.vocabulary[low + Math.floor(next() * (high - low))];
  // Detail of a request from the latest page (one in twenty is stored in mode `metadata`: no payload).
  let latestIds = [];
  const queries = [
    ['latest page (50)', async () => { const page = await ledger.query({ limit: 50 }); latestIds = page.map((row) => row.id); return page; }],
    ['by key', () => ledger.query({ keyId: pickKey(), limit: 50 })],
    ['by model + status=error', () => ledger.query({ model: ['gpt-4o', 'claude-sonnet-4-5', 'gemini-2.5-flash'][Math.floor(next() * 3)], status: 'error', limit: 50 })],
    ['by time range (1 h, 20 days before the newest)', () => { const start = newestTime - 20 * dayMs + Math.floor(next() * dayMs); return ledger.query({ since: start, until: start + 3_600_000, limit: 50 }); }],
    ['by workspace + team', () => ledger.query({ workspaceId: `ws_${Math.floor(next() * 12)}`, teamId: `team_${Math.floor(next() * 40)}`, limit: 50 })],
    ['free text (common word)', () => ledger.query({ text: word(20, 200), limit: 50 })],
    ['free text (rare word)', () => ledger.query({ text: word(3000, 6000), limit: 50 })],
    ['free text, two words', () => ledger.query({ text: `${word(50, 500)} ${word(50, 500)}`, limit: 50 })],
    ['by metadata pair', () => ledger.query({ metadata: { tenant: `tenant-${Math.floor(next() * 200)}` }, limit: 50 })],
    ['cost range', () => ledger.query({ minCostMicros: 50_000, maxCostMicros: 60_000, limit: 50 })],
    ['latency > 5 s', () => ledger.query({ minLatencyMs: 5_000, limit: 50 })],
    ['request detail (payload)', () => payloads.get(latestIds[1 + Math.floor(next() * 18)])],
    ['daily rollup by model, 30 days', () => ledger.rollups({ groupBy: 'model', since: new Date(newestTime - 30 * dayMs).toISOString().slice(0, 10) })],
    ['daily rollup by key, 60 days', () => ledger.rollups({ groupBy: 'key' })],
    // The dashboard's overview as `GET /admin/v1/analytics/overview` asks it (series, breakdown, top spenders).
    ['dashboard overview, last 24 h by model', () => overview(analytics, newestTime, dayMs, 'model', {})],
    ['dashboard overview, last 24 h, one workspace', () => overview(analytics, newestTime, dayMs, 'key', { workspaceId: `ws_${Math.floor(next() * 12)}` })],
    ['dashboard overview, last 30 days by key', () => overview(analytics, newestTime, 30 * dayMs, 'key', {})],
  ];
  const results = [];
  for (const [name, run] of queries) {
    await run();
    const times = [];
    let rows = 0;
    for (let repeat = 0; repeat < repeats; repeat += 1) {
      const started = performance.now();
      const answer = await run();
      times.push(performance.now() - started);
      rows += Array.isArray(answer) ? answer.length : answer === undefined ? 0 : 1;
    }
    times.sort((left, right) => left - right);
    results.push({ name, p50: percentile(times, 0.5), p95: percentile(times, 0.95), rows: rows / repeats });
  }
  log(`queries timed on ${written} rows`);
  return results;
}

async function soak(open) {
  const store = await open();
  try {
    const ledger = new SqlUsageLedger(store.database);
    const payloads = new SqlPayloadStore(store.database);
    const traffic = syntheticTraffic({ count, since, until, textFor: poolSize * 3 });
    const checkpoints = [0.25, 0.5, 0.75].map((share) => Math.round((count * share) / store.batchSize) * store.batchSize);
    const { written, growth, newest } = await write(store, ledger, payloads, traffic, count, checkpoints);
    // Retention is judged from the newest request written, so a run cut short by --max-minutes still keeps
    // its last 30 days (of the 60 a full run spans).
    const now = newest + 1;
    const analytics = new SqlAnalytics(store.database);
    const queries = await timeQueries(ledger, payloads, traffic, written, now, analytics);

    const pauses = [];
    let last = performance.now();
    const job = new RetentionJob({
      ledger,
      payloads,
      policy,
      clock: { now: () => now, monotonic: () => performance.now(), sleep: async () => undefined },
      batchSize: 5_000,
      pause: async () => {
        const now = performance.now();
        pauses.push(now - last);
        await new Promise((resolve) => setImmediate(resolve));
        last = performance.now();
      },
    });
    const retentionStarted = performance.now();
    last = retentionStarted;
    const report = await job.runOnce();
    const retentionSeconds = (performance.now() - retentionStarted) / 1000;
    pauses.sort((left, right) => left - right);
    const remaining = written - report.requests;
    const afterRetention = await store.bytes();
    const reclaim = await store.reclaim();
    const afterReclaim = await store.bytes();
    const refill = syntheticTraffic({ count: refillCount, since: now - dayMs, until: now, seed: 99, textFor: poolSize * 3 });
    await write(store, ledger, payloads, refill, refillCount, [], false);
    const afterRefill = await store.bytes();
    const compaction = await store.compact();
    const afterCompaction = await store.bytes();
    const queriesAfter = await timeQueries(ledger, payloads, traffic, remaining + refillCount, now, analytics);
    return {
      name: store.name, written, growth, queries, queriesAfter, report, retentionSeconds,
      longestBatchMs: pauses.at(-1) ?? 0, medianBatchMs: percentile(pauses, 0.5) ?? 0,
      afterRetention, reclaim, afterReclaim, afterRefill, compaction, afterCompaction, remaining,
    };
  } finally {
    await store.close();
  }
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(0)} MB`;

function report(result) {
  const lines = [];
  lines.push(`### ${result.name}: ${result.written.toLocaleString('en')} requests`);
  lines.push('');
  lines.push('| rows written | store size | bytes / request | write rate (rows/s) |');
  lines.push('|---:|---:|---:|---:|');
  for (const step of result.growth) lines.push(`| ${step.rows.toLocaleString('en')} | ${mb(step.bytes)} | ${step.perRequest} | ${step.rowsPerSecond.toLocaleString('en')} |`);
  lines.push('');
  lines.push(`| query (limit 50) | p50 ms at ${result.written.toLocaleString('en')} | p95 ms | rows | p50 ms after retention | p95 ms |`);
  lines.push('|---|---:|---:|---:|---:|---:|');
  result.queries.forEach((query, index) => {
    const after = result.queriesAfter[index];
    lines.push(`| ${query.name} | ${query.p50.toFixed(2)} | ${query.p95.toFixed(2)} | ${query.rows.toFixed(0)} | ${after.p50.toFixed(2)} | ${after.p95.toFixed(2)} |`);
  });
  lines.push('');
  const r = result.report;
  lines.push(`Retention (rows ${policy.requestsDays} d, payloads ${policy.payloadsDays} d, rollups ${policy.rollupsDays} d; data spans 60 days) in batches of 5,000:`);
  lines.push(`${r.requests.toLocaleString('en')} rows, ${r.payloads.toLocaleString('en')} payloads, ${r.metadata.toLocaleString('en')} metadata pairs deleted in ${r.batches} batches, ${result.retentionSeconds.toFixed(1)} s; longest batch ${result.longestBatchMs.toFixed(0)} ms, median ${result.medianBatchMs.toFixed(0)} ms.`);
  lines.push('');
  lines.push('| stage | store size |');
  lines.push('|---|---:|');
  lines.push(`| after writing ${result.written.toLocaleString('en')} | ${mb(result.growth.at(-1).bytes)} |`);
  lines.push(`| after retention (${result.remaining.toLocaleString('en')} rows left) | ${mb(result.afterRetention)} |`);
  lines.push(`| ${result.reclaim} | ${mb(result.afterReclaim)} |`);
  lines.push(`| after ${refillCount.toLocaleString('en')} more requests (space reused) | ${mb(result.afterRefill)} |`);
  lines.push(`| after ${result.compaction} | ${mb(result.afterCompaction)} |`);
  lines.push('');
  return lines.join('\n');
}

const backends = options.backend === 'both' ? [openSqlite, openPostgres] : options.backend === 'postgres' ? [openPostgres] : [openSqlite];
const started = Date.now();
const sections = [];
for (const open of backends) sections.push(report(await soak(open)));
process.stdout.write(`Soak of ${count.toLocaleString('en')} synthetic requests, node ${process.version}, ${((Date.now() - started) / 60_000).toFixed(1)} min\n\n${sections.join('\n')}`);
