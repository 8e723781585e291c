import type {
  BudgetDefinition,
  BudgetLedger,
  BudgetReservation,
  BudgetState,
  ReserveOutcome,
  ThresholdCrossing,
} from './budget-ledger.js';
import {
  assertMicros,
  counterDiscardAfter,
  loadSpend,
  resolveLedgerOptions,
  thresholdsReached,
  uniqueBudgets,
  type BudgetLedgerOptions,
} from './budget-ledger-rules.js';
import { periodBounds } from './budget-period.js';

/** One budget's figures in one period. */
interface PeriodCounter {
  spentMicros: number;
  reservedMicros: number;
  /** Open reservations by id. */
  held: Map<string, { amountMicros: number; expiresAt: number }>;
  /** Reservations released because their lease ended, not settled yet: their settlement still counts. */
  expired: Set<string>;
  /** Thresholds already reported in this period. */
  reported: Set<number>;
  discardAfter: number;
}

interface BudgetPeriod {
  budget: BudgetDefinition;
  key: string;
  start: number;
  end: number;
}

function counterKey(budgetId: string, periodStart: number): string {
  return `${budgetId}\u0000${periodStart}`;
}

/**
 * The in-process budget ledger of the embedded preset: exact, since one process sees every request. Each
 * method checks and changes the counters without yielding to the event loop in between (only the loader is
 * awaited, before that), which is what makes it atomic.
 */
export class MemoryBudgetLedger implements BudgetLedger {
  private readonly counters = new Map<string, PeriodCounter>();
  /** Loads in progress, so two requests seeing a new period at once call the loader once. */
  private readonly seeding = new Map<string, Promise<PeriodCounter>>();
  private readonly options: ReturnType<typeof resolveLedgerOptions>;
  /** Each budget definition's current period, computed once per period rather than per request. */
  private readonly currentPeriods = new WeakMap<BudgetDefinition, { period: BudgetPeriod; start: number; end: number; kind: string; id: string }>();

  constructor(options: BudgetLedgerOptions = {}) {
    this.options = resolveLedgerOptions(options);
  }

  async reserve(budgets: ReadonlyArray<BudgetDefinition>, amountMicros: number, nowMs: number): Promise<ReserveOutcome> {
    assertMicros(amountMicros, 'amountMicros');
    const periods = this.periodsOf(budgets, nowMs);
    const counters = await this.countersFor(periods, nowMs);
    // From here on nothing is awaited: the check and the take see the same figures.
    counters.forEach((counter) => this.releaseExpired(counter, nowMs));
    const refusedAt = counters.findIndex((counter, index) => counter.spentMicros + counter.reservedMicros + amountMicros > periods[index]!.budget.limitMicros);
    if (refusedAt >= 0) {
      const states = counters.map((counter, index) => stateOf(periods[index]!, counter));
      return { admitted: false, refusedBy: states[refusedAt]!, states };
    }
    const id = this.options.createId();
    const expiresAt = nowMs + this.options.reservationTtlMs;
    for (const counter of counters) {
      counter.reservedMicros += amountMicros;
      counter.held.set(id, { amountMicros, expiresAt });
    }
    return {
      admitted: true,
      reservation: { id, amountMicros, holds: periods.map((period) => ({ budgetId: period.budget.id, periodStart: period.start })) },
      states: counters.map((counter, index) => stateOf(periods[index]!, counter)),
    };
  }

  async settle(reservation: BudgetReservation, actualMicros: number, budgets: ReadonlyArray<BudgetDefinition>, nowMs: number): Promise<ThresholdCrossing[]> {
    assertMicros(actualMicros, 'actualMicros');
    const crossings: ThresholdCrossing[] = [];
    for (const hold of reservation.holds) {
      const counter = this.counters.get(counterKey(hold.budgetId, hold.periodStart));
      // No counter: the period was never reserved in here (another process's reservation); nothing to settle.
      if (counter === undefined) continue;
      this.releaseExpired(counter, nowMs);
      const held = counter.held.get(reservation.id);
      if (held !== undefined) {
        counter.held.delete(reservation.id);
        counter.reservedMicros -= held.amountMicros;
      } else if (!counter.expired.delete(reservation.id)) {
        continue; // settled before: settling twice is a no-op
      }
      counter.spentMicros += actualMicros;
      const budget = budgets.find((candidate) => candidate.id === hold.budgetId);
      if (budget === undefined) continue;
      for (const threshold of thresholdsReached(counter.spentMicros, budget.limitMicros, budget.thresholds)) {
        if (counter.reported.has(threshold)) continue;
        counter.reported.add(threshold);
        crossings.push({ budgetId: budget.id, threshold, periodStart: hold.periodStart, spentMicros: counter.spentMicros, limitMicros: budget.limitMicros });
      }
    }
    return crossings;
  }

  async states(budgets: ReadonlyArray<BudgetDefinition>, nowMs: number): Promise<BudgetState[]> {
    const periods = this.periodsOf(budgets, nowMs);
    const counters = await this.countersFor(periods, nowMs);
    return counters.map((counter, index) => {
      this.releaseExpired(counter, nowMs);
      return stateOf(periods[index]!, counter);
    });
  }

  async close(): Promise<void> {
    this.counters.clear();
  }

  private periodsOf(budgets: ReadonlyArray<BudgetDefinition>, nowMs: number): BudgetPeriod[] {
    return uniqueBudgets(budgets).map((budget) => {
      // A budget's current period is the same for every request until it ends: computed once per period.
      const known = this.currentPeriods.get(budget);
      if (known !== undefined && nowMs >= known.start && nowMs < known.end && known.kind === budget.period && known.id === budget.id) return known.period;
      const { start, end } = periodBounds(budget.period, nowMs);
      const period = { budget, key: counterKey(budget.id, start), start, end };
      this.currentPeriods.set(budget, { period, start, end, kind: budget.period, id: budget.id });
      return period;
    });
  }

  private countersFor(periods: BudgetPeriod[], nowMs: number): PeriodCounter[] | Promise<PeriodCounter[]> {
    const found: PeriodCounter[] = [];
    for (const period of periods) {
      const counter = this.counters.get(period.key);
      if (counter === undefined) {
        // The seeding resolves to the counter itself, so a caller keeps its counter even if another caller
        // (with a much later clock) discards finished periods meanwhile.
        return Promise.all(periods.map((each) => this.counters.get(each.key) ?? this.seed(each, nowMs)));
      }
      found.push(counter);
    }
    return found;
  }

  private seed(period: BudgetPeriod, nowMs: number): PeriodCounter | Promise<PeriodCounter> {
    const { loader } = this.options;
    if (loader === undefined) return this.createCounter(period, 0, nowMs);
    let pending = this.seeding.get(period.key);
    if (pending === undefined) {
      pending = loadSpend(loader, period.budget, period.start, period.end)
        .then((spent) => this.counters.get(period.key) ?? this.createCounter(period, spent, nowMs))
        .finally(() => this.seeding.delete(period.key));
      this.seeding.set(period.key, pending);
    }
    return pending;
  }

  private createCounter(period: BudgetPeriod, spentMicros: number, nowMs: number): PeriodCounter {
    this.discardFinishedPeriods(nowMs);
    // Thresholds the loaded spend already meets were crossed before this ledger existed (and reported by
    // whoever counted that spend): reporting them again after every restart would repeat old alerts.
    const counter: PeriodCounter = {
      spentMicros,
      reservedMicros: 0,
      held: new Map(),
      expired: new Set(),
      reported: new Set(thresholdsReached(spentMicros, period.budget.limitMicros, period.budget.thresholds)),
      discardAfter: counterDiscardAfter(period.end, this.options.reservationTtlMs),
    };
    this.counters.set(period.key, counter);
    return counter;
  }

  private releaseExpired(counter: PeriodCounter, nowMs: number): void {
    // A Map keeps insertion order and leases are taken with the same length, so the oldest come first and
    // the scan stops at the first lease still running instead of visiting every open reservation.
    for (const [id, held] of counter.held) {
      if (held.expiresAt > nowMs) break;
      counter.held.delete(id);
      counter.reservedMicros -= held.amountMicros;
      counter.expired.add(id);
    }
  }

  // Run when a new period appears, so counters of finished periods do not pile up in a long-lived process.
  private discardFinishedPeriods(nowMs: number): void {
    for (const [key, counter] of this.counters) {
      if (counter.discardAfter < nowMs) this.counters.delete(key);
    }
  }
}

function stateOf(period: BudgetPeriod, counter: PeriodCounter): BudgetState {
  return {
    budgetId: period.budget.id,
    periodStart: period.start,
    periodEnd: period.end,
    spentMicros: counter.spentMicros,
    reservedMicros: counter.reservedMicros,
    limitMicros: period.budget.limitMicros,
  };
}
