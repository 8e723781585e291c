/**
 * Budgets in integer micro-dollars per key / team / workspace / organisation and calendar period. A request
 * reserves its estimated worst-case cost before the call and settles to the real cost after (the rest is
 * refunded, also on error and abort). One port, in-process and Redis implementations, one contract suite.
 *
 * The bound: a reservation is admitted only when `spent + reserved + amount <= limit` for every budget it
 * touches. Spend therefore exceeds a limit only when a request's real cost is above its reservation (the
 * estimate could not bound it), and then by at most the sum, over the requests in flight when the limit was
 * reached, of what each cost beyond its reservation.
 */

/** Calendar-aligned periods in UTC: a day starts at 00:00, a week on Monday, a month on the 1st. */
export type BudgetPeriod = 'day' | 'week' | 'month';

/** Who a budget belongs to. */
export type BudgetScopeKind = 'key' | 'team' | 'workspace' | 'organisation';

/** One budget. */
export interface BudgetDefinition {
  id: string;
  scope: BudgetScopeKind;
  /** The id of the key / team / workspace / organisation. */
  scopeId: string;
  period: BudgetPeriod;
  limitMicros: number;
  /** Soft thresholds in percent of the limit (e.g. 50, 80, 100): crossing one raises an alert once per period. */
  thresholds: number[];
}

/** A budget's state in its current period. */
export interface BudgetState {
  budgetId: string;
  periodStart: number;
  periodEnd: number;
  spentMicros: number;
  reservedMicros: number;
  limitMicros: number;
}

/** A threshold crossed by a settlement, reported once per budget, period and threshold. */
export interface ThresholdCrossing {
  budgetId: string;
  threshold: number;
  periodStart: number;
  spentMicros: number;
  limitMicros: number;
}

/** A held reservation. */
export interface BudgetReservation {
  id: string;
  amountMicros: number;
  /** The budgets it was taken from, each with the period it was taken in. */
  holds: ReadonlyArray<{ budgetId: string; periodStart: number }>;
}

/** The outcome of {@link BudgetLedger.reserve}. */
export type ReserveOutcome =
  | { admitted: true; reservation: BudgetReservation; states: BudgetState[] }
  | { admitted: false; refusedBy: BudgetState; states: BudgetState[] };

/**
 * Where a budget's spend in a period comes from when the ledger has no counter for it yet (a restart, a new
 * Redis): the usage ledger's sum for that scope and period.
 */
export type SpendLoader = (budget: BudgetDefinition, periodStart: number, periodEnd: number) => Promise<number>;

/** The budget ledger port. Every method is atomic with respect to every other caller, in any process. */
export interface BudgetLedger {
  /** Reserves `amountMicros` on every budget (all or nothing). */
  reserve(budgets: ReadonlyArray<BudgetDefinition>, amountMicros: number, nowMs: number): Promise<ReserveOutcome>;
  /**
   * Turns a reservation into spend: `actualMicros` is added to each held budget's spend and the reservation
   * released, in the period it was taken in. Settling twice is a no-op. Returns thresholds newly crossed.
   */
  settle(reservation: BudgetReservation, actualMicros: number, budgets: ReadonlyArray<BudgetDefinition>, nowMs: number): Promise<ThresholdCrossing[]>;
  /** The current period's state of each budget. */
  states(budgets: ReadonlyArray<BudgetDefinition>, nowMs: number): Promise<BudgetState[]>;
  close(): Promise<void>;
}
