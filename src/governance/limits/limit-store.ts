import type { LimitDefinition, LimitDefinitionInput, LimitScope, LimitSubject } from './limit-definition.js';

/** Which limits to list: those of one kind of owner, or of one owner. */
export interface LimitFilter {
  scope: LimitScope;
  scopeId?: string;
}

/**
 * A change to a limit; absent fields stay as they are, `model: null` makes it apply to every model again.
 * Owner and metric are fixed once created (a different owner or metric is a different limit).
 */
export interface LimitDefinitionPatch {
  limit?: number;
  windowMs?: number;
  algorithm?: LimitDefinition['algorithm'];
  model?: string | null;
}

/**
 * Where rate limit definitions are kept (SQL: one Kysely codebase for SQLite and PostgreSQL). Every write is
 * checked with `limitDefinitionSchema`, so a nonsense value throws `GatewayError('invalid_request')` naming
 * the field and nothing is written. Lookups of unknown ids return `undefined` (or `false`).
 */
export interface LimitStore {
  /** Stores a new limit and returns it as stored (defaults filled in); a taken id throws `conflict`. */
  create(definition: LimitDefinitionInput): Promise<LimitDefinition>;
  get(id: string): Promise<LimitDefinition | undefined>;
  /** Every limit, or those of one kind of owner / one owner, ordered by owner, metric and id. */
  list(filter?: LimitFilter): Promise<LimitDefinition[]>;
  /** The limits of a request's key, team, workspace and organisation, for every model (filter with `resolveLimitRules`). */
  listApplicable(subject: Omit<LimitSubject, 'model'>): Promise<LimitDefinition[]>;
  /** Applies the patch; returns the limit as changed, or `undefined` when there is no such limit. */
  update(id: string, patch: LimitDefinitionPatch): Promise<LimitDefinition | undefined>;
  /** Returns whether there was such a limit. */
  delete(id: string): Promise<boolean>;
}
