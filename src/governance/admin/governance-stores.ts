import type { AuditLog } from '../audit/audit-log.js';
import type { BudgetStore } from '../budgets/budget-store.js';
import type { IdentityStore } from '../identity/identity-store.js';
import type { LimitStore } from '../limits/limit-store.js';
import type { PolicyStore } from '../policy/policy-store.js';
import type { SecretStore } from '../secrets/secret-store.js';

/**
 * Every store an admin mutation may write, bound to one transaction. The admin use cases read and write
 * only through these, so what one call changes (the resource and its audit record) commits or rolls back
 * together.
 */
export interface GovernanceStores {
  identity: IdentityStore;
  audit: AuditLog;
  /** Budget definitions (the spend itself lives in the budget ledger, outside the transaction). */
  budgets: BudgetStore;
  /** Rate-limit definitions (the counters live in the rate limiter, outside the transaction). */
  limits: LimitStore;
  policies: PolicyStore;
  secrets: SecretStore;
}

/**
 * Runs `work` in one transaction with every store bound to it: committed when `work` resolves, rolled back
 * when it throws (the error is passed on). The composition root builds it over a Kysely transaction.
 */
export type UnitOfWork = <T>(work: (stores: GovernanceStores) => Promise<T>) => Promise<T>;
