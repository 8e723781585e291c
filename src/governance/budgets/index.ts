export type {
  BudgetDefinition,
  BudgetLedger,
  BudgetPeriod,
  BudgetReservation,
  BudgetScopeKind,
  BudgetState,
  ReserveOutcome,
  SpendLoader,
  ThresholdCrossing,
} from './budget-ledger.js';
export { periodBounds, type PeriodBounds } from './budget-period.js';
export { defaultReservationTtlMs, type BudgetLedgerOptions } from './budget-ledger-rules.js';
export { MemoryBudgetLedger } from './memory-budget-ledger.js';
export { RedisBudgetLedger, defaultBudgetKeyPrefix, type RedisBudgetLedgerOptions } from './redis-budget-ledger.js';
export {
  applicableBudgets,
  budgetDefinitionSchema,
  budgetPatchSchema,
  parseBudgetDefinition,
  parseBudgetPatch,
  type BudgetPatch,
  type BudgetSubject,
} from './budget-definition.js';
export type { BudgetDefinitionPatch, BudgetFilter, BudgetStore } from './budget-store.js';
export { SqlBudgetStore } from './sql-budget-store.js';
