import type { BudgetSubject } from './budget-definition.js';
import type { BudgetDefinition, BudgetScopeKind } from './budget-ledger.js';

/** Which budgets to list: all of one kind of owner, or one owner's. */
export interface BudgetFilter {
  scope: BudgetScopeKind;
  scopeId?: string;
}

/** A change to a budget's limit or thresholds; `undefined` leaves a field as it is. */
export interface BudgetDefinitionPatch {
  limitMicros?: number;
  thresholds?: number[];
}

/**
 * Where budget definitions are kept (SQL: one Kysely codebase for SQLite and PostgreSQL). There is at most
 * one budget per owner and period. Values are checked with `budgetDefinitionSchema` on the way in, so a
 * nonsense limit or threshold throws `GatewayError('invalid_request')` and nothing is written. Lookups of
 * unknown ids return `undefined` (or `false`).
 */
export interface BudgetStore {
  /** Stores a new budget; a taken id, or a second budget for the same owner and period, throws `conflict`. */
  create(definition: BudgetDefinition): Promise<void>;
  get(id: string): Promise<BudgetDefinition | undefined>;
  /** Every budget, or those of one kind of owner / one owner, ordered by owner, period and id. */
  list(filter?: BudgetFilter): Promise<BudgetDefinition[]>;
  /** The budgets a request of `subject` is charged to, narrowest first (as `applicableBudgets`). */
  listApplicable(subject: BudgetSubject): Promise<BudgetDefinition[]>;
  /** Changes the limit and/or thresholds; returns the budget as changed. */
  update(id: string, patch: BudgetDefinitionPatch): Promise<BudgetDefinition | undefined>;
  /** Returns whether there was such a budget. */
  delete(id: string): Promise<boolean>;
}
