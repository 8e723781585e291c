import { Kysely, type Selectable } from 'kysely';
import type { Database } from '../../db/index.js';
import type { AuditLogTable, DatabaseSchema } from '../../db/schema.js';
import { GatewayError } from '../../spec/gateway-error.js';
import type { AuditActor, AuditEntry, AuditLog, AuditRecord, AuditVerification } from './audit-log.js';
import { computeAuditHash } from './audit-hash.js';
import { verifyAuditChain } from './verify-audit-chain.js';

const defaultListLimit = 100;
const maximumListLimit = 1000;
// Verify reads the chain in pages, so a long log never has to fit in memory at once.
const verifyPageSize = 500;
const outcomes = new Set<AuditEntry['outcome']>(['success', 'denied', 'failure']);

/** A database, or a Kysely instance / transaction to run in (see {@link SqlAuditLog}). */
export type AuditLogExecutor = Kysely<DatabaseSchema> | Pick<Database, 'kysely'>;

// Details that are not valid JSON any more (edited in the database) still give a record, which then fails
// its hash check: verify reports it as altered instead of crashing, and list still shows the rest.
function readDetails(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  return { unreadableDetails: text };
}

function fromColumns(columns: Selectable<AuditLogTable>): AuditRecord {
  const record: AuditRecord = {
    sequence: Number(columns.sequence),
    at: Number(columns.at),
    actor: { kind: columns.actor_kind as AuditActor['kind'], id: columns.actor_id },
    action: columns.action,
    target: { kind: columns.target_kind, id: columns.target_id },
    outcome: columns.outcome as AuditEntry['outcome'],
    details: readDetails(columns.details),
    previousHash: columns.previous_hash,
    hash: columns.hash,
  };
  // Absent, not present-and-undefined, so records compare equal to what append returned.
  if (columns.organisation_id !== null) record.organisationId = columns.organisation_id;
  if (columns.workspace_id !== null) record.workspaceId = columns.workspace_id;
  if (columns.request_id !== null) record.requestId = columns.request_id;
  return record;
}

function checkedEntry(entry: AuditEntry, atMs: number): AuditEntry {
  const problems: string[] = [];
  if (!Number.isSafeInteger(atMs) || atMs < 0) problems.push('atMs must be a non-negative integer');
  if (!entry.actor?.id) problems.push('actor.id is required');
  if (!entry.action) problems.push('action is required');
  if (!entry.target?.kind || !entry.target?.id) problems.push('target.kind and target.id are required');
  if (!outcomes.has(entry.outcome)) problems.push(`outcome must be one of ${[...outcomes].join(', ')}`);
  if (entry.details === null || typeof entry.details !== 'object' || Array.isArray(entry.details)) problems.push('details must be an object');
  if (problems.length > 0) throw new GatewayError('invalid_request', `Invalid audit entry: ${problems.join('; ')}`);
  // Round-trip the details through JSON now, so the hash covers exactly what the database will give back.
  const details = JSON.parse(JSON.stringify(entry.details)) as Record<string, unknown>;
  const checked: AuditEntry = {
    actor: { kind: entry.actor.kind, id: entry.actor.id },
    action: entry.action,
    target: { kind: entry.target.kind, id: entry.target.id },
    outcome: entry.outcome,
    details,
  };
  if (entry.organisationId !== undefined) checked.organisationId = entry.organisationId;
  if (entry.workspaceId !== undefined) checked.workspaceId = entry.workspaceId;
  if (entry.requestId !== undefined) checked.requestId = entry.requestId;
  return checked;
}

/**
 * The {@link AuditLog} on SQLite or PostgreSQL (one query codebase).
 *
 * Built over a database (or its Kysely instance) it runs each append in a transaction of its own; built
 * over a Kysely transaction (`new SqlAuditLog(transaction)`) it appends inside that transaction, so an
 * admin mutation and its audit record commit or roll back together.
 *
 * Appends are serialised by updating the single `audit_log_head` row first: on PostgreSQL the row lock
 * makes a concurrent append (from any replica) wait until this one commits and then read the new head
 * (READ COMMITTED, PostgreSQL's default; under REPEATABLE READ or SERIALIZABLE the second append fails
 * with a serialization error instead of forking the chain). On SQLite the first write takes the database's
 * single write lock.
 */
export class SqlAuditLog implements AuditLog {
  readonly #executor: Kysely<DatabaseSchema>;

  constructor(executor: AuditLogExecutor) {
    this.#executor = executor instanceof Kysely ? executor : executor.kysely;
  }

  async append(entry: AuditEntry, atMs: number): Promise<AuditRecord> {
    const checked = checkedEntry(entry, atMs);
    if (this.#executor.isTransaction) return this.#appendWithin(this.#executor, checked, atMs);
    return this.#executor.transaction().execute((transaction) => this.#appendWithin(transaction, checked, atMs));
  }

  async #appendWithin(executor: Kysely<DatabaseSchema>, entry: AuditEntry, atMs: number): Promise<AuditRecord> {
    // The update comes first on purpose: it takes the lock before the head is read.
    const head = await executor
      .updateTable('audit_log_head')
      .set((expression) => ({ sequence: expression('sequence', '+', 1) }))
      .where('id', '=', 1)
      .returning(['sequence', 'hash'])
      .executeTakeFirstOrThrow();
    const unhashed: Omit<AuditRecord, 'hash'> = { ...entry, sequence: Number(head.sequence), at: atMs, previousHash: head.hash };
    const record: AuditRecord = { ...unhashed, hash: computeAuditHash(unhashed) };
    await executor
      .insertInto('audit_log')
      .values({
        sequence: record.sequence,
        at: record.at,
        actor_kind: record.actor.kind,
        actor_id: record.actor.id,
        action: record.action,
        target_kind: record.target.kind,
        target_id: record.target.id,
        organisation_id: record.organisationId ?? null,
        workspace_id: record.workspaceId ?? null,
        outcome: record.outcome,
        details: JSON.stringify(record.details),
        request_id: record.requestId ?? null,
        previous_hash: record.previousHash,
        hash: record.hash,
      })
      .execute();
    await executor.updateTable('audit_log_head').set({ hash: record.hash }).where('id', '=', 1).execute();
    return record;
  }

  async list(filter: { organisationId?: string; workspaceId?: string; action?: string; beforeSequence?: number; limit?: number }): Promise<AuditRecord[]> {
    const limit = Math.min(Math.max(Math.trunc(filter.limit ?? defaultListLimit), 1), maximumListLimit);
    let query = this.#executor.selectFrom('audit_log').selectAll().orderBy('sequence', 'desc').limit(limit);
    if (filter.organisationId !== undefined) query = query.where('organisation_id', '=', filter.organisationId);
    if (filter.workspaceId !== undefined) query = query.where('workspace_id', '=', filter.workspaceId);
    if (filter.action !== undefined) query = query.where('action', '=', filter.action);
    if (filter.beforeSequence !== undefined) query = query.where('sequence', '<', filter.beforeSequence);
    return (await query.execute()).map(fromColumns);
  }

  async verify(): Promise<AuditVerification> {
    const executor = this.#executor;
    // The head is read first: records appended while the walk runs lie beyond it and are left for next time.
    const headRow = await executor.selectFrom('audit_log_head').select(['sequence', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
    const head = { sequence: Number(headRow.sequence), hash: headRow.hash };
    async function* records(): AsyncGenerator<AuditRecord> {
      let after = 0;
      for (;;) {
        const page = await executor
          .selectFrom('audit_log')
          .selectAll()
          .where('sequence', '>', after)
          .where('sequence', '<=', head.sequence)
          .orderBy('sequence', 'asc')
          .limit(verifyPageSize)
          .execute();
        for (const row of page) yield fromColumns(row);
        if (page.length < verifyPageSize) return;
        after = Number(page[page.length - 1].sequence);
      }
    }
    return verifyAuditChain({
      head,
      records: records(),
      hashExists: async (hash) => (await executor.selectFrom('audit_log').select('sequence').where('hash', '=', hash).executeTakeFirst()) !== undefined,
    });
  }
}
