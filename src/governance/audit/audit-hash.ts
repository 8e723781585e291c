import { createHash } from 'node:crypto';
import type { AuditRecord } from './audit-log.js';
import { canonicalJson } from './canonical-json.js';

/** The `previousHash` of the first record: 64 zeros. */
export const genesisAuditHash = '0'.repeat(64);

/**
 * The hash of a record: SHA-256 (hex) over the canonical JSON of its content, its sequence, its time and
 * the previous record's hash. Absent optional fields are hashed as `null`, so a record hashes the same
 * whether it was read back from SQLite or PostgreSQL.
 */
export function computeAuditHash(record: Omit<AuditRecord, 'hash'>): string {
  const content = {
    sequence: record.sequence,
    at: record.at,
    actor: { kind: record.actor.kind, id: record.actor.id },
    action: record.action,
    target: { kind: record.target.kind, id: record.target.id },
    organisationId: record.organisationId ?? null,
    workspaceId: record.workspaceId ?? null,
    outcome: record.outcome,
    details: record.details,
    requestId: record.requestId ?? null,
    previousHash: record.previousHash,
  };
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}
