import { randomUUID } from 'node:crypto';
import { GatewayError, isGatewayError } from '../../spec/gateway-error.js';
import type { BudgetDefinition, SpendLoader } from './budget-ledger.js';

/** Options shared by every {@link BudgetLedger} implementation. */
export interface BudgetLedgerOptions {
  /** Seeds a budget's spend the first time the ledger sees one of its periods (after a restart, a new Redis). */
  loader?: SpendLoader;
  /**
   * How long a reservation holds its amount without being settled. Past it, the next operation on the
   * budget releases it (its replica is presumed dead). Keep it above the longest request (the gateway's
   * total timeout, 10 minutes by default): a request still running when its lease ends no longer counts
   * against the limit while it runs, though its settlement is still recorded.
   */
  reservationTtlMs?: number;
  /** Reservation ids (random UUIDs by default). */
  createId?: () => string;
}

/** The default lease of a reservation: above the gateway's default total timeout of 10 minutes. */
export const defaultReservationTtlMs = 15 * 60_000;

// A period's counter outlives the period's end by the longest a reservation can stay open plus a day, so
// a settlement arriving just after midnight still finds the period it was reserved in.
const counterGraceMs = 86_400_000;

/** When a period's counter may be discarded. */
export function counterDiscardAfter(periodEnd: number, reservationTtlMs: number): number {
  return periodEnd + reservationTtlMs + counterGraceMs;
}

/** The resolved options. */
export function resolveLedgerOptions(options: BudgetLedgerOptions): Required<Omit<BudgetLedgerOptions, 'loader'>> & Pick<BudgetLedgerOptions, 'loader'> {
  const reservationTtlMs = options.reservationTtlMs ?? defaultReservationTtlMs;
  if (!Number.isSafeInteger(reservationTtlMs) || reservationTtlMs <= 0) {
    throw new RangeError(`reservationTtlMs must be a positive integer, got ${reservationTtlMs}`);
  }
  return { loader: options.loader, reservationTtlMs, createId: options.createId ?? randomUUID };
}

/** Money is integer micro-dollars: anything else is a bug in the caller, not a request to refuse. */
export function assertMicros(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative safe integer of micro-dollars, got ${value}`);
  }
}

/** The budgets without repeats (the first of each id), so a budget listed twice is not reserved twice. */
export function uniqueBudgets(budgets: ReadonlyArray<BudgetDefinition>): BudgetDefinition[] {
  const seen = new Set<string>();
  return budgets.filter((budget) => (seen.has(budget.id) ? false : (seen.add(budget.id), true)));
}

/** The thresholds (percent of the limit) that `spentMicros` has reached. */
export function thresholdsReached(spentMicros: number, limitMicros: number, thresholds: ReadonlyArray<number>): number[] {
  // Compared in whole numbers (spent * 100 >= threshold * limit) so 80 % of 3 micro-dollars is not rounded.
  return thresholds.filter((threshold) => spentMicros * 100 >= threshold * limitMicros);
}

/** Calls the loader, checking its figure and turning its failure into a refusal the client understands. */
export async function loadSpend(loader: SpendLoader, budget: BudgetDefinition, periodStart: number, periodEnd: number): Promise<number> {
  let spent: number;
  try {
    spent = await loader(budget, periodStart, periodEnd);
  } catch (error) {
    if (isGatewayError(error)) throw error;
    throw new GatewayError('service_unavailable', 'The spend of a budget could not be loaded, so the budget cannot be enforced.', { cause: error });
  }
  assertMicros(spent, `the spend loaded for budget ${budget.id}`);
  return spent;
}
