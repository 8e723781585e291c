import type { BudgetPeriod } from './budget-ledger.js';

/** A period's bounds in epoch milliseconds: `start` inclusive, `end` exclusive. */
export interface PeriodBounds {
  start: number;
  end: number;
}

const dayMs = 86_400_000;

/**
 * The UTC calendar period that contains `nowMs`: a day from 00:00, an ISO week from Monday 00:00, a month
 * from the 1st 00:00. Budgets reset on these boundaries, the same for every replica whatever its time zone.
 */
export function periodBounds(period: BudgetPeriod, nowMs: number): PeriodBounds {
  const now = new Date(nowMs);
  const dayStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  switch (period) {
    case 'day':
      return { start: dayStart, end: dayStart + dayMs };
    case 'week': {
      // getUTCDay counts from Sunday (0); ISO weeks start on Monday, so Sunday is the week's seventh day.
      const daysSinceMonday = (now.getUTCDay() + 6) % 7;
      const start = dayStart - daysSinceMonday * dayMs;
      return { start, end: start + 7 * dayMs };
    }
    case 'month':
      // Date.UTC rolls month 12 over into January of the next year.
      return {
        start: Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1),
        end: Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1),
      };
  }
}
