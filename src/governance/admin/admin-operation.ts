import { GatewayError, isGatewayError } from '../../spec/index.js';
import { authorise, canGrantRole } from '../access/authorise.js';
import type { AdminAction } from '../access/actions.js';
import type { AuditActor, AuditEntry } from '../audit/audit-log.js';
import type { IdentityStore } from '../identity/identity-store.js';
import type { Role, RoleBinding } from '../identity/identity-types.js';
import type { Principal } from '../principal.js';
import type { AdminCall, AdminDependencies, ChangeTopic } from './admin-dependencies.js';
import type { GovernanceStores } from './governance-stores.js';

/** Where a resource lives: what authorisation is judged against and what the audit record is filed under. */
export interface AdminScope {
  organisationId: string;
  workspaceId?: string;
}

/** What an audit record is about. */
export interface AuditTarget {
  kind: string;
  id: string;
}

/** The user or service account behind a caller (a key's owner, an agent token's minter), and its roles. */
export interface CallerIdentity {
  owner?: { kind: 'user' | 'service-account'; id: string };
  bindings: RoleBinding[];
}

/**
 * One admin call in progress, inside its unit of work: authorisation (a refusal is remembered, so it is
 * audited after the rollback), the success audit record (written in the same transaction as the change),
 * and the change notices sent once the transaction has committed.
 */
export class AdminOperation {
  /** Set when the call was refused; audited in a transaction of its own. */
  denial?: AuditEntry;
  recorded = false;
  readonly changes: Array<{ topic: ChangeTopic; id: string }> = [];

  constructor(
    readonly stores: GovernanceStores,
    readonly call: AdminCall,
    readonly nowMs: number,
    readonly auditAction: string,
    readonly caller: CallerIdentity = { bindings: [] },
  ) {}

  get principal(): Principal {
    return this.call.principal;
  }

  /** Throws `permission_denied` (audited) unless the caller may do `action` on what lives in `scope`. */
  authorise(action: AdminAction, scope: AdminScope, target: AuditTarget): void {
    try {
      authorise(this.principal, action, scope, this.caller.bindings);
    } catch (error) {
      if (isGatewayError(error) && error.code === 'permission_denied') this.remember(error.message, scope, target);
      throw error;
    }
  }

  /** True when the caller may do `action` in `scope` (for filtering lists; a refusal is not audited). */
  may(action: AdminAction, scope: AdminScope): boolean {
    try {
      authorise(this.principal, action, scope, this.caller.bindings);
      return true;
    } catch (error) {
      if (isGatewayError(error) && error.code === 'permission_denied') return false;
      throw error;
    }
  }

  /** True when the caller may hand out `role` in `scope` (never a role above its own there). */
  canGrantRole(role: Role, scope: AdminScope): boolean {
    return canGrantRole(this.principal, role, scope, this.caller.bindings);
  }

  /** Refuses the call for a reason found by the use case itself (role escalation), audited. */
  deny(reason: string, scope: AdminScope, target: AuditTarget): never {
    this.remember(reason, scope, target);
    throw new GatewayError('permission_denied', reason);
  }

  /** Appends the success record, in the same transaction as the change. Never pass secret values in `details`. */
  async record(target: AuditTarget, scope: AdminScope | undefined, details: Record<string, unknown>): Promise<void> {
    await this.stores.audit.append(this.entry('success', target, scope, details), this.nowMs);
    this.recorded = true;
  }

  /** Queues a change notice, sent after the commit. */
  changed(topic: ChangeTopic, id: string): void {
    this.changes.push({ topic, id });
  }

  private remember(reason: string, scope: AdminScope, target: AuditTarget): void {
    this.denial = this.entry('denied', target, scope, { reason });
  }

  private entry(outcome: AuditEntry['outcome'], target: AuditTarget, scope: AdminScope | undefined, details: Record<string, unknown>): AuditEntry {
    const via = this.principal.kind === 'agent-token' ? { via: this.principal.subject } : {};
    return {
      actor: auditActor(this.principal),
      action: this.auditAction,
      target,
      organisationId: scope?.organisationId,
      workspaceId: scope?.workspaceId,
      outcome,
      details: { ...details, ...via },
      requestId: this.call.requestId,
    };
  }
}

/**
 * Loads who stands behind the caller: a key's owner or an agent token's minter, when that is a user or
 * service account, with its role bindings (which may widen a key's reach to its whole organisation).
 */
export async function callerIdentity(identity: IdentityStore, principal: Principal): Promise<CallerIdentity> {
  if (principal.kind === 'master') return { bindings: [] };
  let owner: CallerIdentity['owner'];
  const minter = principal.kind === 'key' ? principal.keyId : principal.subject;
  if (minter.startsWith('key_')) {
    const key = await identity.getKey(minter);
    if (key !== undefined && (key.owner.kind === 'user' || key.owner.kind === 'service-account')) owner = { kind: key.owner.kind, id: key.owner.id };
  } else if (minter.startsWith('user_')) {
    owner = { kind: 'user', id: minter };
  } else if (minter.startsWith('sa_')) {
    owner = { kind: 'service-account', id: minter };
  }
  return { owner, bindings: owner === undefined ? [] : await identity.listRoleBindings(owner) };
}

/** The audit actor of a principal. */
export function auditActor(principal: Principal): AuditActor {
  switch (principal.kind) {
    case 'master':
      return { kind: 'master', id: 'master' };
    case 'key':
      return { kind: 'key', id: principal.keyId };
    case 'agent-token':
      return { kind: 'agent-token', id: principal.tokenId };
  }
}

/**
 * Runs a change in one unit of work: the use case authorises, writes and records its audit entry inside it,
 * so a failure anywhere leaves nothing written. A refusal is then audited on its own (the change's
 * transaction was rolled back), and after a commit the change notices go out.
 */
export async function runAdminChange<T>(dependencies: AdminDependencies, call: AdminCall, auditAction: string, work: (operation: AdminOperation) => Promise<T>): Promise<T> {
  const { result, operation } = await runInUnitOfWork(dependencies, call, auditAction, async (operation) => {
    const value = await work(operation);
    // A change without its audit record is a bug in the use case, not something to commit.
    if (!operation.recorded) throw new GatewayError('internal_error', `The admin change ${auditAction} wrote no audit record`);
    return value;
  });
  for (const change of operation.changes) {
    try {
      await dependencies.onChange(change.topic, change.id);
    } catch (error) {
      dependencies.reportError?.(error);
    }
  }
  return result;
}

/** Runs a read in one unit of work (a consistent view); a refusal is audited like a refused change. */
export async function runAdminRead<T>(dependencies: AdminDependencies, call: AdminCall, auditAction: string, work: (operation: AdminOperation) => Promise<T>): Promise<T> {
  const { result } = await runInUnitOfWork(dependencies, call, auditAction, work);
  return result;
}

async function runInUnitOfWork<T>(
  dependencies: AdminDependencies,
  call: AdminCall,
  auditAction: string,
  work: (operation: AdminOperation) => Promise<T>,
): Promise<{ result: T; operation: AdminOperation }> {
  const nowMs = dependencies.now();
  let operation: AdminOperation | undefined;
  try {
    return await dependencies.unitOfWork(async (stores) => {
      operation = new AdminOperation(stores, call, nowMs, auditAction, await callerIdentity(stores.identity, call.principal));
      return { result: await work(operation), operation };
    });
  } catch (error) {
    const denial = operation?.denial;
    if (denial !== undefined) {
      try {
        await dependencies.unitOfWork((stores) => stores.audit.append(denial, nowMs));
      } catch (auditError) {
        dependencies.reportError?.(auditError);
      }
    }
    throw error;
  }
}
