/**
 * The audit log: every admin change and every refused policy decision, appended as hash-chained records.
 * Each record's hash covers its content and the previous record's hash, so `switchyard audit verify`
 * detects any altered, removed or reordered record.
 */

/** Who did it. */
export interface AuditActor {
  kind: 'master' | 'user' | 'service-account' | 'key' | 'agent-token' | 'system';
  id: string;
}

/** What to append (the log adds the sequence number, time and hashes). */
export interface AuditEntry {
  actor: AuditActor;
  /** `keys.create`, `workspace.set-llm`, `policy.deny`, ... */
  action: string;
  target: { kind: string; id: string };
  organisationId?: string;
  workspaceId?: string;
  outcome: 'success' | 'denied' | 'failure';
  /** Never secrets: callers pass ids, names and reasons only. */
  details: Record<string, unknown>;
  requestId?: string;
}

/** A stored record. */
export interface AuditRecord extends AuditEntry {
  sequence: number;
  at: number;
  previousHash: string;
  hash: string;
}

/** What {@link AuditLog.verify} found. */
export type AuditVerification =
  | { ok: true; records: number; headHash: string }
  | { ok: false; records: number; firstBadSequence: number; reason: 'altered' | 'removed' | 'reordered' | 'broken-link' };

/** The audit log port. */
export interface AuditLog {
  /** Appends one record after the current head (appends are serialised, also across replicas). */
  append(entry: AuditEntry, atMs: number): Promise<AuditRecord>;
  /** Newest first. */
  list(filter: { organisationId?: string; workspaceId?: string; action?: string; beforeSequence?: number; limit?: number }): Promise<AuditRecord[]>;
  /** Walks the whole chain from the first record. */
  verify(): Promise<AuditVerification>;
}
