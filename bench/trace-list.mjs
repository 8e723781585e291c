// Trace listing on a large store: how long `SqlTraceStore.listTraces` takes with a million traced requests in
// the ledger (and some applications' spans), on SQLite and on PostgreSQL. Run with
//   nice -n 10 node --import tsx bench/trace-list.mjs [--rows=1000000] [--databases=sqlite,postgres]
//     [--sqlite-file=/tmp/traces.db] [--keep] [--repetitions=5] [--budget-seconds=240]
// The rows are written straight through `SqlUsageLedger` in batches (not through a gateway). Without
// `--sqlite-file` the SQLite database lives in a temporary folder; PostgreSQL (127.0.0.1:5432, database
// `test`, or SWITCHYARD_TEST_POSTGRES_URL) gets a schema of its own. Both are removed at the end unless
// `--keep` is given (a kept SQLite file or `--pg-schema` is reused by the next run). The timings are
// medians over the repetitions; a query that runs past the time budget ends the run early. Writing the million
// rows takes about 35 s on SQLite and 85 s on PostgreSQL (2 cores); the queries take seconds.
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { migrateToLatest, openDatabase } from '../src/db/index.js';
import { SqlUsageLedger } from '../src/observatory/sql-usage-ledger.js';
import { SqlTraceStore } from '../src/observatory/tracing/sql-trace-store.js';

const options = Object.fromEntries(
  process.argv.slice(2).map((argument) => {
    const [name, value] = argument.replace(/^--/, '').split('=');
    return [name, value ?? 'true'];
  }),
);
const rowCount = Number(options.rows ?? 1_000_000);
const databases = (options.databases ?? 'sqlite,postgres').split(',');
const repetitions = Number(options.repetitions ?? 5);
const budgetMs = Number(options['budget-seconds'] ?? 240) * 1000;
const keep = options.keep === 'true';
const started = performance.now();

// The shape of the data: a request every 10 ms. Seven requests in ten are a trace of their own; the other
// three belong to agent traces of about twenty requests each, spread over 200 consecutive requests, so
// traces interleave. Each agent trace has a session and an application span (its "agent run") that starts
// just before its first request. Twenty workspaces.
const firstTimestamp = 1_700_000_000_000;
const spacingMs = 10;
const blockSize = 200;
const workspaces = 20;

const hex = (value, width) => value.toString(16).padStart(width, '0');
const singleTraceId = (index) => `1${hex(index, 31)}`;
const agentTraceId = (block, lane) => `2${hex(block * 10 + lane, 31)}`;
const sessionOf = (block, lane) => `sess-${block}-${lane}`;

function rowAt(index) {
  const block = Math.floor(index / blockSize);
  const lane = index % 10;
  const agent = lane < 3;
  const traceId = agent ? agentTraceId(block, lane) : singleTraceId(index);
  const workspaceId = `ws-${agent ? (block * 3 + lane) % workspaces : index % workspaces}`;
  return {
    id: `req-${index}`,
    timestamp: firstTimestamp + index * spacingMs,
    organisationId: 'org-1',
    workspaceId,
    dialect: 'openai',
    operation: 'chat',
    requestedModel: 'fast',
    servedProvider: 'openai',
    servedModel: 'gpt-4o-mini',
    stream: false,
    status: index % 50 === 0 ? 'error' : 'ok',
    httpStatus: index % 50 === 0 ? 502 : 200,
    attempts: [{ deploymentId: 'a', provider: 'openai', model: 'gpt-4o-mini', durationMs: 100, outcome: 'success' }],
    latencyMs: 120,
    inputTokens: 40,
    outputTokens: 12,
    usageSource: 'provider',
    trace: {
      traceId,
      requestSpanId: hex(index + 1, 16),
      ...(agent ? { parentSpanId: hex(block * 10 + lane + 1, 15).padStart(16, 'a'), sessionId: sessionOf(block, lane) } : {}),
      authenticatedAfterMs: 1,
      governedAfterMs: 2,
      attempts: [{ spanId: hex(index + 1, 15).padStart(16, 'b'), group: 'fast', startedAfterMs: 3 }],
    },
  };
}

function agentRunSpans(block) {
  return [0, 1, 2].map((lane) => ({
    traceId: agentTraceId(block, lane),
    spanId: hex(block * 10 + lane + 1, 15).padStart(16, 'a'),
    name: 'agent run',
    kind: 'span',
    startTime: firstTimestamp + (block * blockSize + lane) * spacingMs - 5,
    endTime: firstTimestamp + ((block + 1) * blockSize + lane) * spacingMs,
    status: 'ok',
    attributes: { 'gen_ai.operation.name': 'invoke_agent' },
    sessionId: sessionOf(block, lane),
    organisationId: 'org-1',
    workspaceId: `ws-${(block * 3 + lane) % workspaces}`,
  }));
}

async function fill(database) {
  const ledger = new SqlUsageLedger(database);
  const store = new SqlTraceStore(database);
  const batch = 5_000;
  for (let start = 0; start < rowCount; start += batch) {
    const rows = [];
    for (let index = start; index < Math.min(rowCount, start + batch); index += 1) rows.push(rowAt(index));
    await ledger.append(rows);
    const spans = [];
    for (let block = start / blockSize; block < Math.min(rowCount, start + batch) / blockSize; block += 1) spans.push(...agentRunSpans(block));
    await store.appendSpans(spans);
  }
}

async function rowsIn(database) {
  const result = await database.kysely.selectFrom('usage_ledger').select((select) => select.fn.countAll().as('count')).executeTakeFirst();
  return Number(result?.count ?? 0);
}

function median(values) {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)];
}

async function measure(store) {
  const middle = Math.floor(rowCount / 2);
  const lastBlock = Math.floor((rowCount - 1) / blockSize) - 1;
  const cases = [
    ['first page (50)', { limit: 50 }],
    ['next page (cursor of the first)', 'next'],
    ['page deep in (cursor at the middle)', { limit: 50, cursor: `${firstTimestamp + middle * spacingMs}.${'f'.repeat(32)}` }],
    ['workspace page (1 of 20)', { limit: 50, workspaceId: 'ws-3' }],
    ['workspace page deep in', { limit: 50, workspaceId: 'ws-3', cursor: `${firstTimestamp + middle * spacingMs}.${'f'.repeat(32)}` }],
    ['session lookup', { sessionId: sessionOf(lastBlock, 1) }],
    ['request lookup', { requestId: `req-${middle}` }],
  ];
  const results = [];
  let firstCursor;
  for (const [name, given] of cases) {
    const query = given === 'next' ? { limit: 50, cursor: firstCursor } : given;
    const timings = [];
    let page;
    for (let repetition = 0; repetition < repetitions; repetition += 1) {
      const before = performance.now();
      page = await store.listTraces(query);
      timings.push(performance.now() - before);
      if (performance.now() - started > budgetMs) break;
    }
    if (given !== 'next' && query.cursor === undefined && query.workspaceId === undefined) firstCursor ??= page.nextCursor;
    results.push({ name, medianMs: median(timings), traces: page.traces.length, runs: timings.length });
    console.log(`  ${name}: ${median(timings).toFixed(1)} ms (median of ${timings.length}), ${page.traces.length} traces`);
    if (performance.now() - started > budgetMs) {
      console.log('  time budget spent: stopping');
      break;
    }
  }
  return results;
}

async function runOn(kind) {
  let database;
  let cleanup = async () => undefined;
  if (kind === 'sqlite') {
    const folder = options['sqlite-file'] === undefined ? mkdtempSync(join(tmpdir(), 'switchyard-trace-list-')) : undefined;
    const file = options['sqlite-file'] ?? join(folder, 'traces.db');
    const reused = existsSync(file);
    database = await openDatabase({ kind: 'sqlite', file });
    cleanup = async () => {
      if (keep) console.log(`sqlite: kept ${file}`);
      else if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
      else for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    };
    if (reused) console.log(`sqlite: reusing ${file}`);
  } else {
    const baseUrl = process.env.SWITCHYARD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    const schema = options['pg-schema'] ?? `trace_list_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`create schema if not exists "${schema}"`);
    database = await openDatabase({ kind: 'postgres', url: `${baseUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`, maxConnections: 4 });
    cleanup = async () => {
      if (keep) console.log(`postgres: kept schema ${schema}`);
      else await admin.query(`drop schema "${schema}" cascade`);
      await admin.end();
    };
  }
  try {
    await migrateToLatest(database);
    const present = await rowsIn(database);
    if (present !== rowCount) {
      if (present !== 0) throw new Error(`${kind}: the store holds ${present} rows, not ${rowCount}; start from an empty one`);
      const before = performance.now();
      await fill(database);
      if (kind === 'postgres') await sql`analyze`.execute(database.kysely);
      console.log(`${kind}: wrote ${rowCount} ledger rows and ${Math.ceil(rowCount / blockSize) * 3} spans in ${((performance.now() - before) / 1000).toFixed(1)} s`);
    }
    console.log(`${kind}: listTraces over ${rowCount} traced rows`);
    return await measure(new SqlTraceStore(database));
  } finally {
    await database.close();
    await cleanup();
  }
}

const report = {};
for (const kind of databases) {
  if (performance.now() - started > budgetMs) break;
  report[kind] = await runOn(kind);
}
console.log(JSON.stringify(report));
