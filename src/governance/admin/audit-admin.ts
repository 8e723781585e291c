import { z } from 'zod';
import type { AuditRecord, AuditVerification } from '../audit/audit-log.js';
import type { AdminCall, AdminDependencies } from './admin-dependencies.js';
import { parseInput } from './admin-input.js';
import { listScope } from './admin-lookups.js';
import { runAdminRead } from './admin-operation.js';
import { identifierSchema } from './admin-schemas.js';

export const auditRecordSchema = z.object({
  sequence: z.number().int(),
  at: z.number().int(),
  actor: z.object({ kind: z.string(), id: z.string() }),
  action: z.string(),
  target: z.object({ kind: z.string(), id: z.string() }),
  organisationId: z.string().optional(),
  workspaceId: z.string().optional(),
  outcome: z.enum(['success', 'denied', 'failure']),
  details: z.record(z.string(), z.unknown()),
  requestId: z.string().optional(),
  previousHash: z.string(),
  hash: z.string(),
});

export const auditVerificationSchema = z.union([
  z.object({ ok: z.literal(true), records: z.number().int(), headHash: z.string() }),
  z.object({ ok: z.literal(false), records: z.number().int(), firstBadSequence: z.number().int(), reason: z.enum(['altered', 'removed', 'reordered', 'broken-link']) }),
]);

export const listAuditQuerySchema = z.strictObject({
  organisationId: identifierSchema.optional().describe("Defaults to the caller's organisation (required with the master key)."),
  workspaceId: identifierSchema.optional().describe("Defaults to the caller's workspace."),
  action: z.string().min(1).max(100).optional().describe('Only records of this action, e.g. keys.create.'),
  before: z.coerce.number().int().positive().optional().describe('Only records with a lower sequence number (paging, newest first).'),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** Audit records of an organisation (or one workspace of it), newest first. */
export async function listAudit(dependencies: AdminDependencies, call: AdminCall, input: unknown): Promise<AuditRecord[]> {
  const query = parseInput(listAuditQuerySchema, input, 'query');
  return runAdminRead(dependencies, call, 'audit.list', async (operation) => {
    const scope = listScope(call.principal, query.organisationId, query.workspaceId);
    operation.authorise('audit:read', scope, { kind: 'organisation', id: scope.organisationId });
    return operation.stores.audit.list({ ...scope, action: query.action, beforeSequence: query.before, limit: query.limit });
  });
}

/**
 * Walks the whole hash chain (`switchyard audit verify`). The chain spans every organisation, so this needs
 * the right to read the caller's whole organisation's audit (the master key, or an organisation-wide role).
 */
export async function verifyAudit(dependencies: AdminDependencies, call: AdminCall): Promise<AuditVerification> {
  return runAdminRead(dependencies, call, 'audit.verify', async (operation) => {
    if (call.principal.kind !== 'master') {
      const organisationId = call.principal.organisationId;
      operation.authorise('audit:read', { organisationId }, { kind: 'organisation', id: organisationId });
    }
    return operation.stores.audit.verify();
  });
}
