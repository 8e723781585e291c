import { afterEach, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../spec/gateway-error.js';
import type { BudgetDefinition, BudgetLedger, BudgetReservation, ReserveOutcome, SpendLoader } from './budget-ledger.js';
import type { BudgetLedgerOptions } from './budget-ledger-rules.js';

/** A fresh ledger, a second one sharing its state (another replica), and how to dispose of both. */
export interface BudgetLedgerFixture {
  ledger: BudgetLedger;
  /** Shares `ledger`'s state as another replica would (in process: the same ledger). */
  peer: BudgetLedger;
  dispose?: () => Promise<void>;
}

/** Makes an empty ledger with the given options. */
export type BudgetLedgerFactory = (options: BudgetLedgerOptions) => Promise<BudgetLedgerFixture>;

// Tuesday 2030-04-16, 10:00 UTC.
const now = Date.UTC(2030, 3, 16, 10);
const aprilStart = Date.UTC(2030, 3, 1);
const mayStart = Date.UTC(2030, 4, 1);

/** A monthly budget of 1,000 micro-dollars on key k-1, with the given changes. */
export function budget(changes: Partial<BudgetDefinition> = {}): BudgetDefinition {
  return { id: 'budget-key', scope: 'key', scopeId: 'k-1', period: 'month', limitMicros: 1_000, thresholds: [], ...changes };
}

function admitted(outcome: ReserveOutcome): BudgetReservation {
  if (!outcome.admitted) throw new Error(`expected admission, refused by ${outcome.refusedBy.budgetId}`);
  return outcome.reservation;
}

// Lets other tasks run between a reserve and its settle without waiting on the wall clock.
async function yieldTurns(turns: number): Promise<void> {
  for (let turn = 0; turn < turns; turn += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** The contract every {@link BudgetLedger} implementation passes. */
export function describeBudgetLedgerContract(name: string, factory: BudgetLedgerFactory): void {
  describe(`BudgetLedger contract: ${name}`, () => {
    const fixtures: BudgetLedgerFixture[] = [];
    async function open(options: BudgetLedgerOptions = {}): Promise<BudgetLedgerFixture> {
      const fixture = await factory(options);
      fixtures.push(fixture);
      return fixture;
    }
    afterEach(async () => {
      for (const fixture of fixtures.splice(0)) await fixture.dispose?.();
    });

    it('admits while spent + reserved + amount stays within the limit, up to exactly the limit', async () => {
      const { ledger } = await open();
      const first = await ledger.reserve([budget()], 600, now);
      expect(first.admitted).toBe(true);
      expect(first.states).toEqual([{ budgetId: 'budget-key', periodStart: aprilStart, periodEnd: mayStart, spentMicros: 0, reservedMicros: 600, limitMicros: 1_000 }]);
      expect((await ledger.reserve([budget()], 400, now)).admitted).toBe(true);
      const refused = await ledger.reserve([budget()], 1, now);
      expect(refused.admitted).toBe(false);
      if (!refused.admitted) expect(refused.refusedBy).toMatchObject({ budgetId: 'budget-key', spentMicros: 0, reservedMicros: 1_000 });
    });

    it('refuses all or nothing: a refusal leaves nothing reserved on any budget', async () => {
      const { ledger } = await open();
      const roomy = budget({ id: 'budget-workspace', scope: 'workspace', scopeId: 'w-1', limitMicros: 10_000 });
      const tight = budget({ id: 'budget-team', scope: 'team', scopeId: 't-1', limitMicros: 500 });
      admitted(await ledger.reserve([tight], 300, now));
      const refused = await ledger.reserve([roomy, tight], 300, now);
      expect(refused.admitted).toBe(false);
      if (!refused.admitted) expect(refused.refusedBy.budgetId).toBe('budget-team');
      expect((await ledger.states([roomy, tight], now)).map((state) => state.reservedMicros)).toEqual([0, 300]);
      // The same amount fits once the budget with room is the only one asked.
      expect((await ledger.reserve([roomy], 300, now)).admitted).toBe(true);
    });

    it('reserves a budget listed twice once, and admits a request with no budget', async () => {
      const { ledger } = await open();
      const outcome = await ledger.reserve([budget(), budget()], 700, now);
      expect(admitted(outcome).holds).toEqual([{ budgetId: 'budget-key', periodStart: aprilStart }]);
      expect((await ledger.states([budget()], now))[0]!.reservedMicros).toBe(700);
      const free = admitted(await ledger.reserve([], 10_000, now));
      expect(free.holds).toEqual([]);
      expect(await ledger.settle(free, 10_000, [], now)).toEqual([]);
    });

    it('settles lower than reserved: the rest is refunded', async () => {
      const { ledger } = await open();
      const reservation = admitted(await ledger.reserve([budget()], 800, now));
      await ledger.settle(reservation, 300, [budget()], now);
      expect(await ledger.states([budget()], now)).toMatchObject([{ spentMicros: 300, reservedMicros: 0 }]);
      expect((await ledger.reserve([budget()], 700, now)).admitted).toBe(true);
    });

    it('settles higher than reserved: the overspend is recorded and refuses what no longer fits', async () => {
      const { ledger } = await open();
      const reservation = admitted(await ledger.reserve([budget()], 500, now));
      await ledger.settle(reservation, 900, [budget()], now);
      expect(await ledger.states([budget()], now)).toMatchObject([{ spentMicros: 900, reservedMicros: 0 }]);
      expect((await ledger.reserve([budget()], 200, now)).admitted).toBe(false);
      expect((await ledger.reserve([budget()], 100, now)).admitted).toBe(true);
    });

    it('settles once: a second settlement, from any replica, changes nothing', async () => {
      const { ledger, peer } = await open();
      const reservation = admitted(await ledger.reserve([budget()], 400, now));
      await ledger.settle(reservation, 250, [budget()], now);
      await ledger.settle(reservation, 250, [budget()], now);
      await peer.settle(reservation, 900, [budget()], now);
      expect(await ledger.states([budget()], now)).toMatchObject([{ spentMicros: 250, reservedMicros: 0 }]);
    });

    it('settles in the period the reservation was taken in', async () => {
      const { ledger } = await open();
      const daily = budget({ id: 'budget-day', period: 'day' });
      const beforeMidnight = Date.UTC(2030, 3, 16, 23, 59, 59, 900);
      const afterMidnight = Date.UTC(2030, 3, 17, 0, 0, 1);
      const reservation = admitted(await ledger.reserve([daily], 600, beforeMidnight));
      await ledger.settle(reservation, 500, [daily], afterMidnight);
      expect(await ledger.states([daily], beforeMidnight)).toMatchObject([{ spentMicros: 500, reservedMicros: 0 }]);
      expect(await ledger.states([daily], afterMidnight)).toMatchObject([{ periodStart: Date.UTC(2030, 3, 17), spentMicros: 0, reservedMicros: 0 }]);
    });

    it('starts each calendar period from zero', async () => {
      const { ledger } = await open();
      const weekly = budget({ id: 'budget-week', period: 'week' });
      const monthly = budget({ id: 'budget-month' });
      await ledger.settle(admitted(await ledger.reserve([weekly, monthly], 900, now)), 900, [weekly, monthly], now);
      expect((await ledger.reserve([weekly, monthly], 200, now)).admitted).toBe(false);
      // Monday 2030-04-22: a new week, the same month.
      const nextWeek = Date.UTC(2030, 3, 22);
      const outcome = await ledger.reserve([weekly, monthly], 200, nextWeek);
      expect(outcome.admitted).toBe(false);
      if (!outcome.admitted) expect(outcome.refusedBy.budgetId).toBe('budget-month');
      expect(outcome.states[0]).toMatchObject({ periodStart: nextWeek, spentMicros: 0 });
      expect((await ledger.reserve([weekly, monthly], 200, mayStart)).admitted).toBe(true);
      expect(await ledger.states([monthly], mayStart)).toMatchObject([{ periodStart: mayStart, spentMicros: 0, reservedMicros: 200 }]);
    });

    it('reports each threshold once per period, when spend reaches it', async () => {
      const { ledger, peer } = await open();
      const watched = budget({ thresholds: [50, 80, 100] });
      const spend = async (amount: number, at = now) =>
        ledger.settle(admitted(await ledger.reserve([watched], 0, at)), amount, [watched], at);
      expect(await spend(400)).toEqual([]);
      expect(await spend(100)).toEqual([{ budgetId: 'budget-key', threshold: 50, periodStart: aprilStart, spentMicros: 500, limitMicros: 1_000 }]);
      expect(await spend(10)).toEqual([]);
      // Another replica does not report it again.
      expect(await peer.settle(admitted(await peer.reserve([watched], 0, now)), 10, [watched], now)).toEqual([]);
      // One settlement can cross several thresholds.
      expect((await spend(500)).map((crossing) => [crossing.threshold, crossing.spentMicros])).toEqual([[80, 1_020], [100, 1_020]]);
      expect((await spend(600, mayStart)).map((crossing) => [crossing.threshold, crossing.periodStart])).toEqual([[50, mayStart]]);
    });

    it('seeds a new period from the loader once, and starts the next period from a new load', async () => {
      const calls: Array<[string, number, number]> = [];
      const loader: SpendLoader = async (definition, periodStart, periodEnd) => {
        calls.push([definition.id, periodStart, periodEnd]);
        return periodStart === aprilStart ? 700 : 50;
      };
      const { ledger, peer } = await open({ loader });
      // Two replicas meeting the new period at once count the loaded spend once.
      const outcomes = await Promise.all([ledger.reserve([budget()], 100, now), peer.reserve([budget()], 100, now)]);
      expect(outcomes.every((outcome) => outcome.admitted)).toBe(true);
      expect(await ledger.states([budget()], now)).toMatchObject([{ spentMicros: 700, reservedMicros: 200 }]);
      expect((await ledger.reserve([budget()], 101, now)).admitted).toBe(false);
      expect(calls[0]).toEqual(['budget-key', aprilStart, mayStart]);
      const aprilCalls = calls.length;
      expect(await peer.states([budget()], mayStart)).toMatchObject([{ periodStart: mayStart, spentMicros: 50 }]);
      expect(calls.length).toBeGreaterThan(aprilCalls);
      await ledger.states([budget()], mayStart);
      await ledger.reserve([budget()], 1, mayStart);
      expect(calls.filter((call) => call[1] === mayStart).length).toBe(calls.length - aprilCalls);
      expect(calls.length - aprilCalls).toBeLessThanOrEqual(2);
    });

    it('does not report again thresholds the loaded spend already met', async () => {
      const watched = budget({ thresholds: [50, 80, 100] });
      const { ledger } = await open({ loader: async () => 850 });
      const first = admitted(await ledger.reserve([watched], 100, now));
      expect(await ledger.settle(first, 100, [watched], now)).toEqual([]);
      const second = admitted(await ledger.reserve([watched], 50, now));
      expect((await ledger.settle(second, 50, [watched], now)).map((crossing) => crossing.threshold)).toEqual([100]);
    });

    it('refuses with service_unavailable when the loader fails, holding nothing', async () => {
      let failing = true;
      const { ledger } = await open({
        loader: async () => {
          if (failing) throw new Error('connection refused');
          return 0;
        },
      });
      const error = await ledger.reserve([budget()], 100, now).catch((caught: unknown) => caught);
      expect(isGatewayError(error) && error.code).toBe('service_unavailable');
      failing = false;
      expect(await ledger.states([budget()], now)).toMatchObject([{ spentMicros: 0, reservedMicros: 0 }]);
    });

    it('rejects amounts that are not whole, non-negative micro-dollars', async () => {
      const { ledger } = await open();
      await expect(ledger.reserve([budget()], -1, now)).rejects.toThrow(RangeError);
      await expect(ledger.reserve([budget()], 1.5, now)).rejects.toThrow(RangeError);
      const reservation = admitted(await ledger.reserve([budget()], 10, now));
      await expect(ledger.settle(reservation, Number.NaN, [budget()], now)).rejects.toThrow(RangeError);
      expect(await ledger.states([budget()], now)).toMatchObject([{ spentMicros: 0, reservedMicros: 10 }]);
    });

    it('releases a reservation whose lease ended, and still counts its late settlement once', async () => {
      const { ledger, peer } = await open({ reservationTtlMs: 60_000 });
      const stale = admitted(await ledger.reserve([budget()], 1_000, now));
      expect((await peer.reserve([budget()], 1, now + 59_999)).admitted).toBe(false);
      const fresh = await peer.reserve([budget()], 600, now + 60_000);
      expect(fresh.admitted).toBe(true);
      expect(fresh.states[0]).toMatchObject({ spentMicros: 0, reservedMicros: 600 });
      await ledger.settle(stale, 400, [budget()], now + 70_000);
      await peer.settle(stale, 400, [budget()], now + 70_001);
      expect(await ledger.states([budget()], now + 70_002)).toMatchObject([{ spentMicros: 400, reservedMicros: 600 }]);
    });

    it('never exceeds the limit under 100 concurrent requests on two replicas when the cost is the reservation', async () => {
      const { ledger, peer } = await open();
      const shared = budget({ limitMicros: 10_000, thresholds: [25, 50, 75, 100] });
      const crossings: number[] = [];
      const outcomes = await Promise.all(
        Array.from({ length: 100 }, async (_, index) => {
          const replica = index % 2 === 0 ? ledger : peer;
          const outcome = await replica.reserve([shared], 300, now);
          if (!outcome.admitted) return outcome;
          await yieldTurns(index % 7);
          const crossed = await replica.settle(outcome.reservation, 300, [shared], now);
          crossings.push(...crossed.map((crossing) => crossing.threshold));
          return outcome;
        }),
      );
      expect(outcomes.filter((outcome) => outcome.admitted)).toHaveLength(33);
      for (const outcome of outcomes) {
        if (outcome.admitted) expect(outcome.states[0]!.spentMicros + outcome.states[0]!.reservedMicros).toBeLessThanOrEqual(10_000);
      }
      expect(await ledger.states([shared], now)).toMatchObject([{ spentMicros: 9_900, reservedMicros: 0 }]);
      // Exactly one replica reports each crossing.
      expect(crossings.sort((left, right) => left - right)).toEqual([25, 50, 75]);
    });

    // All 100 at once (every admitted request is still in flight at the limit), and 100 arriving through 10
    // workers (earlier requests have settled when the limit is reached, so only some excesses count).
    it.each([
      { workers: 100, label: '100 at once' },
      { workers: 10, label: '100 through 10 workers' },
    ])('overspends, when costs exceed reservations, by at most the excess of the requests in flight at the limit ($label)', async ({ workers }) => {
      const { ledger, peer } = await open();
      const limit = 10_000;
      const reservationMicros = 300;
      const shared = budget({ limitMicros: limit });
      const excessOf = (index: number) => (index % 5) * 50;
      const admissions: Array<{ index: number; spentMicros: number; reservedMicros: number }> = [];
      const request = async (index: number) => {
        const replica = index % 2 === 0 ? ledger : peer;
        await yieldTurns(index % 3);
        const outcome = await replica.reserve([shared], reservationMicros, now);
        if (!outcome.admitted) return;
        admissions.push({ index, spentMicros: outcome.states[0]!.spentMicros, reservedMicros: outcome.states[0]!.reservedMicros });
        await yieldTurns(1 + (index % 4));
        await replica.settle(outcome.reservation, reservationMicros + excessOf(index), [shared], now);
      };
      await Promise.all(
        Array.from({ length: workers }, async (_, worker) => {
          for (let index = worker; index < 100; index += workers) await request(index);
        }),
      );
      const [final] = await ledger.states([shared], now);
      expect(final!.reservedMicros).toBe(0);
      // Every admission kept spent + reserved within the limit.
      for (const admission of admissions) expect(admission.spentMicros + admission.reservedMicros).toBeLessThanOrEqual(limit);
      // With costs at or above reservations spent + reserved only grows, so the last admission has the largest;
      // its reserved figure counts the requests in flight then (itself included).
      const last = admissions.reduce((best, admission) =>
        admission.spentMicros + admission.reservedMicros > best.spentMicros + best.reservedMicros ? admission : best,
      );
      const inFlight = last.reservedMicros / reservationMicros;
      expect(inFlight).toBeGreaterThan(1);
      const excesses = admissions.map((admission) => excessOf(admission.index)).sort((left, right) => left - right);
      const largest = excesses.slice(-inFlight).reduce((sum, excess) => sum + excess, 0);
      const smallest = excesses.slice(0, inFlight).reduce((sum, excess) => sum + excess, 0);
      // What those in-flight requests added beyond their reservations is all that can lie above the limit.
      const addedAfterLast = final!.spentMicros - (last.spentMicros + last.reservedMicros);
      expect(addedAfterLast).toBeGreaterThanOrEqual(smallest);
      expect(addedAfterLast).toBeLessThanOrEqual(largest);
      expect(final!.spentMicros).toBeLessThanOrEqual(limit + largest);
      expect(final!.spentMicros).toBeGreaterThan(limit - reservationMicros);
    });
  });
}
