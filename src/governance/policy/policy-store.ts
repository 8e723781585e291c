import type { PolicyDefinition, PolicyRules, PolicyScope } from './policy-definition.js';

/**
 * A stored policy: its definition, and where its owner lives, so the admin API can authorise a read or a
 * change of it by id and list an organisation's or a workspace's policies without looking the owner up.
 */
export interface StoredPolicy extends PolicyDefinition {
  organisationId: string;
  /** The workspace of a workspace- or key-scoped policy; absent for an organisation's policy. */
  workspaceId?: string;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
}

/** Which policies to list: an organisation's, optionally narrowed. */
export interface PolicyListFilter {
  organisationId: string;
  /** Only the policies owned by this workspace and its keys (not the organisation's). */
  workspaceId?: string;
  scope?: PolicyScope;
  scopeId?: string;
}

/** The levels one request passes through. */
export interface PolicyTarget {
  organisationId: string;
  workspaceId?: string;
  keyId?: string;
}

/**
 * The policy store port (SQL: one Kysely codebase for SQLite and PostgreSQL). An implementation bound to a
 * transaction writes in it, so a policy and its audit record commit together. Unknown ids give `undefined`
 * (or `false`); the caller turns them into `not_found`.
 */
export interface PolicyStore {
  /** Adds a policy; an id already taken throws `GatewayError('conflict')`. */
  createPolicy(policy: StoredPolicy): Promise<void>;
  getPolicy(id: string): Promise<StoredPolicy | undefined>;
  /** Replaces a policy's rules (its owner never changes); the updated policy, or `undefined` for an unknown id. */
  updatePolicyRules(id: string, rules: PolicyRules, updatedAt: number): Promise<StoredPolicy | undefined>;
  /** True when a policy was deleted. */
  deletePolicy(id: string): Promise<boolean>;
  /** The policies matching the filter, oldest first. */
  listPolicies(filter: PolicyListFilter): Promise<StoredPolicy[]>;
  /**
   * Every policy that applies to a request of this key: the organisation's, the workspace's and the key's,
   * in that order (oldest first within a level), ready for `evaluatePolicies`.
   */
  applicablePolicies(target: PolicyTarget): Promise<StoredPolicy[]>;
}
