import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type Database } from './index.js';
import { defaultLogBoundPages } from './open-database.js';
import { migrations } from './migrations/index.js';
import { migratedTables, sqliteFullTextTables } from '../../test/support/migrated-tables.js';

describe('SQLite database', () => {
  let folder: string;
  let database: Database;

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'switchyard-db-'));
    database = await openDatabase({ kind: 'sqlite', file: join(folder, 'switchyard.db') });
  });
  afterEach(async () => {
    await database.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('opens in WAL mode', async () => {
    const result = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(database.kysely);
    expect(result.rows[0].journal_mode).toBe('wal');
    expect(database.kind).toBe('sqlite');
  });

  it('migrates once and is idempotent', async () => {
    expect(await migrateToLatest(database)).toEqual(Object.keys(migrations).sort());
    expect(await migrateToLatest(database)).toEqual([]);
    const tables = await database.kysely.introspection.getTables();
    expect(tables.map((table) => table.name).sort()).toEqual([...migratedTables, ...sqliteFullTextTables].sort());
  });

  it('keeps payload-search deletes from rewriting index segments inside the deleting transaction', async () => {
    await migrateToLatest(database);
    // FTS5 keeps its options in its own config table; deletemerge 0 leaves reclaiming to the ordinary merges.
    const setting = await sql<{ v: number }>`select v from request_payloads_fts_config where k = 'deletemerge'`.execute(database.kysely);
    expect(setting.rows.map((row) => Number(row.v))).toEqual([0]);
    // Deleted rows still never match.
    await sql`insert into request_payloads_fts (rowid, body) values (1, 'alpha beta'), (2, 'alpha gamma')`.execute(database.kysely);
    await sql`delete from request_payloads_fts where rowid = 1`.execute(database.kysely);
    const found = await sql<{ rowid: number }>`select rowid from request_payloads_fts where request_payloads_fts match 'alpha'`.execute(database.kysely);
    expect(found.rows.map((row) => Number(row.rowid))).toEqual([2]);
  });

  it('merges payload-search segments 16 at a time, and words still match across many small segments', async () => {
    await migrateToLatest(database);
    const setting = await sql<{ v: number }>`select v from request_payloads_fts_config where k = 'automerge'`.execute(database.kysely);
    expect(setting.rows.map((row) => Number(row.v))).toEqual([16]);
    // One transaction a row: each commit writes a segment of its own, enough for merges to run.
    for (let rowid = 1; rowid <= 40; rowid += 1) {
      await sql`insert into request_payloads_fts (rowid, body) values (${rowid}, ${rowid % 10 === 0 ? 'billing service timeout' : `service billing note ${rowid}`})`.execute(database.kysely);
    }
    const found = await sql<{ rowid: number }>`select rowid from request_payloads_fts where request_payloads_fts match '"billing" "timeout"' order by rowid`.execute(database.kysely);
    expect(found.rows.map((row) => Number(row.rowid))).toEqual([10, 20, 30, 40]);
  });

  it('rebuilds the payload search index without positions, re-indexing the payloads stored before, as the capture indexes them', async () => {
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0019'));
    const { error } = await new Migrator({ db: database.kysely, provider: { getMigrations: async () => before } }).migrateToLatest();
    expect(error).toBeUndefined();
    const sqlite = database.sqlite!;
    const payload = sqlite.prepare(
      `insert into request_payloads (seq, request_id, timestamp, mode, request_text, response_text, request_bytes, response_bytes, message_count, truncated) values (?, ?, 1, 'full', ?, ?, 10, 10, 1, 0)`,
    );
    const request = (content: unknown) => JSON.stringify({ model: 'gpt-4o', system: 'operator manual', messages: [{ role: 'user', content }], input: ['embedding words'] });
    payload.run(1, 'req_1', request('nightly billing timeout'), 'check the queue');
    payload.run(2, 'req_2', request([{ type: 'text', text: 'invoice parts' }, { type: 'image_url', image_url: { url: 'https://example.com/x.png' } }]), 'parts answer');
    // Cut at the size cap: no longer JSON, indexed as it is.
    payload.run(3, 'req_3', '{"messages":[{"role":"user","content":"truncated billing…[truncated]', 'late');
    const search = (words: string) =>
      sqlite.prepare('select rowid from request_payloads_fts where request_payloads_fts match ? order by rowid').all(words).map((row) => Number((row as { rowid: number }).rowid));

    await migrateToLatest(database);
    const definition = sqlite.prepare("select sql from sqlite_master where name = 'request_payloads_fts'").get() as { sql: string };
    expect(definition.sql).toContain('detail=none');
    expect(search('"billing"')).toEqual([1, 3]);
    expect(search('"billing" "queue"')).toEqual([1]);
    expect(search('"invoice" "parts"')).toEqual([2]);
    expect(search('"operator" "embedding"')).toEqual([1, 2]);
    // Keys, roles and the model are not text the capture indexes (the cut request, not JSON, is indexed whole).
    expect(search('"gpt"')).toEqual([]);
    expect(search('"example"')).toEqual([]);
    expect(search('"role"')).toEqual([3]);
    // The options of migrations 0016 and 0018 carry over to the rebuilt index.
    const options = sqlite.prepare("select k, v from request_payloads_fts_config where k in ('automerge', 'deletemerge') order by k").all();
    expect(options).toEqual([{ k: 'automerge', v: 16 }, { k: 'deletemerge', v: 0 }]);
  });

  it('leaves copying the write-ahead log to the background checkpointer, so commits never wait for it', async () => {
    // Its timer out of the way (an hour): only the explicit checkpoint below may copy the log.
    await database.close();
    database = await openDatabase({ kind: 'sqlite', file: join(folder, 'switchyard.db'), checkpointIntervalMs: 3_600_000 });
    await migrateToLatest(database);
    await database.checkpointer!.checkpoint();
    const file = join(folder, 'switchyard.db');
    const before = statSync(file).size;
    // Far past SQLite's automatic checkpoint (1,000 pages): the writer itself copies nothing into the file.
    const insert = database.sqlite!.prepare('insert into settings (key, value) values (?, ?)');
    database.sqlite!.transaction(() => {
      for (let index = 0; index < 3_000; index += 1) insert.run(`key-${index}`, 'x'.repeat(2_000));
    })();
    expect(statSync(file).size).toBe(before);
    const result = await database.checkpointer!.checkpoint();
    expect(result.log).toBeGreaterThan(1_000);
    expect(result.checkpointed).toBe(result.log);
    expect(statSync(file).size).toBeGreaterThan(before + 3_000 * 2_000);
    // The background connection reads what the writer committed.
    const count = await database.kysely.selectFrom('settings').select((select) => select.fn.countAll<number>().as('rows')).executeTakeFirstOrThrow();
    expect(Number(count.rows)).toBe(3_000);
  });

  it('keeps the writer off checkpoints (up to the log bound) after the checkpointer is closed on purpose (the database closes next)', async () => {
    const autocheckpoint = () => database.sqlite!.pragma('wal_autocheckpoint', { simple: true });
    expect(autocheckpoint()).toBe(defaultLogBoundPages);
    await database.checkpointer!.close();
    await expect(database.checkpointer!.checkpoint()).rejects.toThrow(/closed/);
    expect(autocheckpoint()).toBe(defaultLogBoundPages);
  });

  it('bounds the write-ahead log when the background checkpoint never catches up: the writer checkpoints past the bound', async () => {
    // The worker's timer out of the way (an hour), as if each of its checkpoints ended behind the writer.
    await database.close();
    const file = join(folder, 'switchyard.db');
    database = await openDatabase({ kind: 'sqlite', file, checkpointIntervalMs: 3_600_000, logBoundPages: 400 });
    await migrateToLatest(database);
    const insert = database.sqlite!.prepare('insert into settings (key, value) values (?, ?)');
    const write = database.sqlite!.transaction((batch: number) => {
      for (let index = 0; index < 100; index += 1) insert.run(`key-${batch}-${index}`, 'x'.repeat(2_000));
    });
    let largestLog = 0;
    // 40 commits of ~200 kB: about 2,000 pages in all, five times the bound.
    for (let batch = 0; batch < 40; batch += 1) {
      write(batch);
      largestLog = Math.max(largestLog, statSync(`${file}-wal`).size);
    }
    // The bound (400 pages of 4 kB) plus one commit, never the 8 MB written.
    expect(largestLog).toBeLessThan(2_500_000);
    expect(statSync(file).size).toBeGreaterThan(4_000_000);
    const count = await database.kysely.selectFrom('settings').select((select) => select.fn.countAll<number>().as('rows')).executeTakeFirstOrThrow();
    expect(Number(count.rows)).toBe(4_000);
  });

  it('resolves duplicate firing alerts that replicas of earlier versions stored, keeping the newest of each rule and group', async () => {
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0017'));
    const { error } = await new Migrator({ db: database.kysely, provider: { getMigrations: async () => before } }).migrateToLatest();
    expect(error).toBeUndefined();
    const firing = (id: string, ruleId: string, group: string, firedAt: number) => ({
      id, rule_id: ruleId, rule_name: 'errors', group_key: group, severity: 'warning', state: 'firing', value: 1, threshold: 0.5, message: 'errors', fired_at: firedAt,
    });
    // The alert tables are typed by the alert store's own schema, not the shared one.
    const kysely = database.kysely as unknown as Kysely<Record<string, Record<string, unknown>>>;
    await kysely.insertInto('alert_history').values([
      firing('a1', 'alr_1', 'all', 100), firing('a2', 'alr_1', 'all', 200), firing('a3', 'alr_1', 'all', 150),
      firing('b1', 'alr_1', 'model:gpt-4o', 120), firing('c1', 'alr_2', 'all', 130),
    ]).execute();
    await migrateToLatest(database);
    const rows = (await kysely.selectFrom('alert_history').select(['id', 'state', 'resolved_at']).orderBy('id').execute()) as Array<{ id: string; state: string; resolved_at: number | null }>;
    expect(rows.map((row) => [row.id, row.state, row.resolved_at === null ? null : Number(row.resolved_at)])).toEqual([
      ['a1', 'resolved', 200], ['a2', 'firing', null], ['a3', 'resolved', 200], ['b1', 'firing', null], ['c1', 'firing', null],
    ]);
  });

  it('stores settings with an upsert', async () => {
    await migrateToLatest(database);
    const put = (value: string) =>
      database.kysely
        .insertInto('settings')
        .values({ key: 'master_key_hash', value })
        .onConflict((conflict) => conflict.column('key').doUpdateSet({ value }))
        .execute();
    await put('first');
    await put('second');
    const rows = await database.kysely.selectFrom('settings').selectAll().execute();
    expect(rows).toEqual([{ key: 'master_key_hash', value: 'second' }]);
  });

  it('keeps data across reopening the file', async () => {
    await migrateToLatest(database);
    await database.kysely.insertInto('settings').values({ key: 'k', value: 'v' }).execute();
    await database.close();
    database = await openDatabase({ kind: 'sqlite', file: join(folder, 'switchyard.db') });
    expect(await migrateToLatest(database)).toEqual([]);
    expect(await database.kysely.selectFrom('settings').select('value').where('key', '=', 'k').executeTakeFirst()).toEqual({ value: 'v' });
  });
});
