import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/index.js';
import type { AuditEntry, AuditRecord } from './audit-log.js';
import { computeAuditHash, genesisAuditHash } from './audit-hash.js';
import { SqlAuditLog } from './sql-audit-log.js';

/** A fresh, migrated database and how to dispose of it. */
export interface AuditLogFixture {
  database: Database;
  dispose?: () => Promise<void>;
}

const start = Date.UTC(2026, 10, 20, 9);

/** A valid entry with the given changes (a key created in workspace `ws-a` of `org-a` by default). */
export function auditEntry(changes: Partial<AuditEntry> = {}): AuditEntry {
  return {
    actor: { kind: 'user', id: 'user_alice' },
    action: 'keys.create',
    target: { kind: 'key', id: 'key_1' },
    organisationId: 'org-a',
    workspaceId: 'ws-a',
    outcome: 'success',
    details: { name: 'ci', models: ['gpt-4o'] },
    requestId: 'req-1',
    ...changes,
  };
}

/**
 * The contract of the SQL {@link SqlAuditLog}, run on SQLite and PostgreSQL. Tampering goes through raw
 * SQL, as an attacker with database access would.
 */
export function describeAuditLogContract(name: string, create: () => Promise<AuditLogFixture>): void {
  describe(`AuditLog contract: ${name}`, () => {
    let fixture: AuditLogFixture;
    let log: SqlAuditLog;
    const run = async (statement: string) => void (await sql.raw(statement).execute(fixture.database.kysely));

    async function appendMany(count: number): Promise<AuditRecord[]> {
      const records: AuditRecord[] = [];
      for (let index = 1; index <= count; index++) {
        records.push(await log.append(auditEntry({ target: { kind: 'key', id: `key_${index}` }, details: { index } }), start + index));
      }
      return records;
    }

    beforeEach(async () => {
      fixture = await create();
      log = new SqlAuditLog(fixture.database);
    });
    afterEach(async () => {
      await fixture.dispose?.();
    });

    it('numbers records from 1 and chains each to the previous hash, starting at the genesis hash', async () => {
      const [first, second, third] = await appendMany(3);
      expect(first.sequence).toBe(1);
      expect(first.previousHash).toBe(genesisAuditHash);
      expect(second.sequence).toBe(2);
      expect(second.previousHash).toBe(first.hash);
      expect(third.previousHash).toBe(second.hash);
      expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
      const { hash, ...unhashed } = third;
      expect(computeAuditHash(unhashed)).toBe(hash);
    });

    it('reads back exactly what append returned, newest first, without absent optional fields', async () => {
      const full = await log.append(auditEntry({ details: { nested: { b: 2, a: [1, 'x', null] }, flag: true } }), start);
      const bare = await log.append(
        { actor: { kind: 'system', id: 'retention' }, action: 'ledger.prune', target: { kind: 'ledger', id: 'usage' }, outcome: 'success', details: {} },
        start + 1,
      );
      const listed = await log.list({});
      expect(listed).toEqual([bare, full]);
      expect(Object.keys(listed[0])).not.toContain('organisationId');
      expect(Object.keys(listed[0])).not.toContain('requestId');
    });

    it('stores details as JSON would, so undefined members do not break the chain', async () => {
      await log.append(auditEntry({ details: { kept: 1, dropped: undefined } }), start);
      expect((await log.list({}))[0].details).toEqual({ kept: 1 });
      expect(await log.verify()).toMatchObject({ ok: true, records: 1 });
    });

    it('filters by organisation, workspace and action, pages by sequence and bounds the page size', async () => {
      await log.append(auditEntry({ organisationId: 'org-a', workspaceId: 'ws-a', action: 'keys.create' }), start);
      await log.append(auditEntry({ organisationId: 'org-a', workspaceId: 'ws-b', action: 'keys.revoke' }), start + 1);
      await log.append(auditEntry({ organisationId: 'org-b', workspaceId: 'ws-c', action: 'keys.create' }), start + 2);
      await log.append(auditEntry({ organisationId: 'org-a', workspaceId: 'ws-a', action: 'policy.deny', outcome: 'denied' }), start + 3);

      const sequences = (records: AuditRecord[]) => records.map((record) => record.sequence);
      expect(sequences(await log.list({ organisationId: 'org-a' }))).toEqual([4, 2, 1]);
      expect(sequences(await log.list({ workspaceId: 'ws-a' }))).toEqual([4, 1]);
      expect(sequences(await log.list({ action: 'keys.create' }))).toEqual([3, 1]);
      expect(sequences(await log.list({ organisationId: 'org-a', action: 'keys.create' }))).toEqual([1]);
      expect(sequences(await log.list({ limit: 2 }))).toEqual([4, 3]);
      expect(sequences(await log.list({ limit: 2, beforeSequence: 3 }))).toEqual([2, 1]);
      expect(sequences(await log.list({ limit: 0 }))).toEqual([4]);
    });

    it('refuses an entry without an actor, action, target or a valid outcome', async () => {
      await expect(log.append(auditEntry({ action: '' }), start)).rejects.toMatchObject({ code: 'invalid_request' });
      await expect(log.append(auditEntry({ outcome: 'maybe' as AuditEntry['outcome'] }), start)).rejects.toMatchObject({ code: 'invalid_request' });
      await expect(log.append(auditEntry(), Number.NaN)).rejects.toMatchObject({ code: 'invalid_request' });
      expect(await log.list({})).toEqual([]);
    });

    it('verifies an empty log and a sound chain', async () => {
      expect(await log.verify()).toEqual({ ok: true, records: 0, headHash: genesisAuditHash });
      const records = await appendMany(5);
      expect(await log.verify()).toEqual({ ok: true, records: 5, headHash: records[4].hash });
    });

    it('keeps the chain unbroken under 50 concurrent appends', async () => {
      await Promise.all(Array.from({ length: 50 }, (_, index) => log.append(auditEntry({ details: { index } }), start + index)));
      const verification = await log.verify();
      expect(verification).toMatchObject({ ok: true, records: 50 });
      expect((await log.list({ limit: 1000 })).map((record) => record.sequence)).toEqual(Array.from({ length: 50 }, (_, index) => 50 - index));
    });

    it('points at a record whose details were edited as altered', async () => {
      await appendMany(5);
      await run(`update audit_log set details = '{"index":99}' where sequence = 3`);
      expect(await log.verify()).toEqual({ ok: false, records: 2, firstBadSequence: 3, reason: 'altered' });
    });

    it('points at a record whose actor or time was edited as altered', async () => {
      await appendMany(5);
      await run(`update audit_log set actor_id = 'user_mallory', at = at + 1 where sequence = 4`);
      expect(await log.verify()).toMatchObject({ ok: false, firstBadSequence: 4, reason: 'altered' });
    });

    it('reports details that are no longer JSON as altered rather than failing', async () => {
      await appendMany(3);
      await run(`update audit_log set details = 'not json' where sequence = 2`);
      expect(await log.verify()).toMatchObject({ ok: false, firstBadSequence: 2, reason: 'altered' });
      expect((await log.list({}))[1].details).toEqual({ unreadableDetails: 'not json' });
    });

    it('reports a record rewritten with a recomputed hash as a broken link at the next record', async () => {
      const records = await appendMany(5);
      const { hash: _hash, ...unhashed } = records[2];
      const forged = computeAuditHash({ ...unhashed, details: { index: 99 } });
      await run(`update audit_log set details = '{"index":99}', hash = '${forged}' where sequence = 3`);
      expect(await log.verify()).toEqual({ ok: false, records: 3, firstBadSequence: 4, reason: 'broken-link' });
    });

    it('reports the last record rewritten with a recomputed hash as altered (the head row disagrees)', async () => {
      const records = await appendMany(4);
      const { hash: _hash, ...unhashed } = records[3];
      const forged = computeAuditHash({ ...unhashed, outcome: 'failure' });
      await run(`update audit_log set outcome = 'failure', hash = '${forged}' where sequence = 4`);
      expect(await log.verify()).toEqual({ ok: false, records: 4, firstBadSequence: 4, reason: 'altered' });
    });

    it('points at a deleted record as removed, in the middle, at the start and at the tail', async () => {
      await appendMany(5);
      await run('delete from audit_log where sequence = 3');
      expect(await log.verify()).toEqual({ ok: false, records: 2, firstBadSequence: 3, reason: 'removed' });
      await run('delete from audit_log where sequence = 1');
      expect(await log.verify()).toEqual({ ok: false, records: 0, firstBadSequence: 1, reason: 'removed' });
    });

    it('notices the newest record deleted', async () => {
      await appendMany(5);
      await run('delete from audit_log where sequence = 5');
      expect(await log.verify()).toEqual({ ok: false, records: 4, firstBadSequence: 5, reason: 'removed' });
    });

    it('points at two records whose sequences were swapped as reordered', async () => {
      await appendMany(6);
      await run('update audit_log set sequence = -1 where sequence = 2');
      await run('update audit_log set sequence = 2 where sequence = 5');
      await run('update audit_log set sequence = 5 where sequence = -1');
      expect(await log.verify()).toEqual({ ok: false, records: 1, firstBadSequence: 2, reason: 'reordered' });
    });

    it('points at two neighbours swapped as reordered', async () => {
      await appendMany(4);
      await run('update audit_log set sequence = -1 where sequence = 3');
      await run('update audit_log set sequence = 3 where sequence = 4');
      await run('update audit_log set sequence = 4 where sequence = -1');
      expect(await log.verify()).toEqual({ ok: false, records: 2, firstBadSequence: 3, reason: 'reordered' });
    });

    it('appends inside a caller transaction: rolled back with it, or committed with it', async () => {
      await appendMany(1);
      await expect(
        fixture.database.kysely.transaction().execute(async (transaction) => {
          await new SqlAuditLog(transaction).append(auditEntry({ action: 'keys.rotate' }), start + 10);
          throw new Error('the admin mutation failed');
        }),
      ).rejects.toThrow('the admin mutation failed');
      expect((await log.list({})).map((record) => record.action)).toEqual(['keys.create']);

      const committed = await fixture.database.kysely.transaction().execute((transaction) => new SqlAuditLog(transaction).append(auditEntry({ action: 'keys.revoke' }), start + 11));
      expect(committed.sequence).toBe(2);
      expect(await log.verify()).toMatchObject({ ok: true, records: 2, headHash: committed.hash });
    });

    it('goes on chaining after records appended by another instance on the same database', async () => {
      await appendMany(2);
      const other = new SqlAuditLog(fixture.database.kysely);
      const third = await other.append(auditEntry(), start + 3);
      const fourth = await log.append(auditEntry(), start + 4);
      expect(fourth.previousHash).toBe(third.hash);
      expect(await log.verify()).toMatchObject({ ok: true, records: 4 });
    });
  });
}
