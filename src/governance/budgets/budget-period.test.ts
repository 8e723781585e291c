import { describe, expect, it } from 'vitest';
import { periodBounds } from './budget-period.js';

const at = (iso: string) => Date.parse(iso);

describe('periodBounds', () => {
  it('gives the UTC day, end exclusive', () => {
    expect(periodBounds('day', at('2026-03-15T13:45:00Z'))).toEqual({ start: at('2026-03-15T00:00:00Z'), end: at('2026-03-16T00:00:00Z') });
    expect(periodBounds('day', at('2026-03-15T00:00:00Z')).start).toBe(at('2026-03-15T00:00:00Z'));
    expect(periodBounds('day', at('2026-03-15T23:59:59.999Z')).end).toBe(at('2026-03-16T00:00:00Z'));
  });

  it('crosses month ends, year ends and leap days', () => {
    expect(periodBounds('day', at('2026-01-31T22:00:00Z'))).toEqual({ start: at('2026-01-31T00:00:00Z'), end: at('2026-02-01T00:00:00Z') });
    expect(periodBounds('day', at('2024-02-28T12:00:00Z')).end).toBe(at('2024-02-29T00:00:00Z'));
    expect(periodBounds('day', at('2024-02-29T12:00:00Z'))).toEqual({ start: at('2024-02-29T00:00:00Z'), end: at('2024-03-01T00:00:00Z') });
    expect(periodBounds('day', at('2026-12-31T23:59:59.999Z'))).toEqual({ start: at('2026-12-31T00:00:00Z'), end: at('2027-01-01T00:00:00Z') });
  });

  it('starts a week on Monday 00:00 UTC, with Sunday as its last day', () => {
    // 2026-03-16 is a Monday.
    const week = { start: at('2026-03-16T00:00:00Z'), end: at('2026-03-23T00:00:00Z') };
    expect(periodBounds('week', at('2026-03-16T00:00:00Z'))).toEqual(week);
    expect(periodBounds('week', at('2026-03-18T09:00:00Z'))).toEqual(week);
    expect(periodBounds('week', at('2026-03-22T23:59:59.999Z'))).toEqual(week);
    expect(periodBounds('week', at('2026-03-22T12:00:00Z'))).toEqual(week);
    expect(periodBounds('week', at('2026-03-15T23:59:59.999Z'))).toEqual({ start: at('2026-03-09T00:00:00Z'), end: at('2026-03-16T00:00:00Z') });
  });

  it('lets a week span a month end and a year end', () => {
    // Thursday 2026-01-01 belongs to the week of Monday 2025-12-29.
    expect(periodBounds('week', at('2026-01-01T10:00:00Z'))).toEqual({ start: at('2025-12-29T00:00:00Z'), end: at('2026-01-05T00:00:00Z') });
    // Sunday 2024-03-03 belongs to the week of Monday 2024-02-26, across the leap day.
    expect(periodBounds('week', at('2024-03-03T10:00:00Z'))).toEqual({ start: at('2024-02-26T00:00:00Z'), end: at('2024-03-04T00:00:00Z') });
  });

  it('gives the calendar month, whatever its length', () => {
    expect(periodBounds('month', at('2026-03-15T13:45:00Z'))).toEqual({ start: at('2026-03-01T00:00:00Z'), end: at('2026-04-01T00:00:00Z') });
    expect(periodBounds('month', at('2024-02-29T23:59:59.999Z'))).toEqual({ start: at('2024-02-01T00:00:00Z'), end: at('2024-03-01T00:00:00Z') });
    expect(periodBounds('month', at('2025-02-10T00:00:00Z')).end - at('2025-02-01T00:00:00Z')).toBe(28 * 86_400_000);
    expect(periodBounds('month', at('2026-12-31T23:59:59.999Z'))).toEqual({ start: at('2026-12-01T00:00:00Z'), end: at('2027-01-01T00:00:00Z') });
    expect(periodBounds('month', at('2027-01-01T00:00:00Z'))).toEqual({ start: at('2027-01-01T00:00:00Z'), end: at('2027-02-01T00:00:00Z') });
  });

  it('puts every instant in exactly one period: an end is the next start', () => {
    for (const period of ['day', 'week', 'month'] as const) {
      const first = periodBounds(period, at('2024-12-30T05:00:00Z'));
      const next = periodBounds(period, first.end);
      expect(next.start).toBe(first.end);
      expect(periodBounds(period, first.end - 1)).toEqual(first);
    }
  });
});
