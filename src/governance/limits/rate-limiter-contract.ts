import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { frozenChecks } from './grouped-checks.js';
import type { LimitAlgorithm, LimitCheck, LimitRule, RateLimiter } from './rate-limiter.js';

/** A fresh limiter and how to dispose of it. */
export interface RateLimiterFixture {
  limiter: RateLimiter;
  dispose?: () => Promise<void>;
}

const start = Date.UTC(2026, 10, 20, 12);
let counterSequence = 0;

/** A rule on a counter no other test uses. */
export function limitRule(changes: Partial<LimitRule> = {}): LimitRule {
  counterSequence += 1;
  return {
    counter: `contract:${counterSequence}`,
    name: 'requests',
    metric: 'requests',
    limit: 5,
    windowMs: 10_000,
    algorithm: 'sliding-window',
    ...changes,
  };
}

async function admitted(limiter: RateLimiter, checks: LimitCheck[], nowMs: number): Promise<boolean> {
  return (await limiter.consume(checks, nowMs)).allowed;
}

/** The contract every {@link RateLimiter} implementation passes. */
export function describeRateLimiterContract(name: string, create: () => Promise<RateLimiterFixture>): void {
  describe(`RateLimiter contract: ${name}`, () => {
    let fixture: RateLimiterFixture;
    let limiter: RateLimiter;

    beforeEach(async () => {
      fixture = await create();
      limiter = fixture.limiter;
    });
    afterEach(async () => {
      await fixture.limiter.close();
      await fixture.dispose?.();
    });

    for (const algorithm of ['sliding-window', 'token-bucket'] as const satisfies readonly LimitAlgorithm[]) {
      describe(algorithm, () => {
        it('admits exactly the limit, then refuses with a retry time', async () => {
          const rule = limitRule({ algorithm, limit: 5, windowMs: 10_000 });
          const outcomes: boolean[] = [];
          for (let index = 0; index < 7; index += 1) outcomes.push(await admitted(limiter, [{ rule, cost: 1 }], start));
          expect(outcomes).toEqual([true, true, true, true, true, false, false]);
          const refused = await limiter.consume([{ rule, cost: 1 }], start);
          expect(refused.allowed).toBe(false);
          expect(refused.refusedBy).toMatchObject({ counter: rule.counter, name: 'requests', limit: 5, remaining: 0 });
          // A sliding window frees its oldest unit after the whole window; a bucket of 5 per 10 s refills one unit every 2 s.
          expect(refused.retryAfterMs).toBe(algorithm === 'sliding-window' ? 10_000 : 2_000);
        });

        it('takes token costs and admits a cost only when all of it fits', async () => {
          const rule = limitRule({ algorithm, name: 'tokens', metric: 'tokens', limit: 10 });
          expect(await admitted(limiter, [{ rule, cost: 7 }], start)).toBe(true);
          const tooMuch = await limiter.consume([{ rule, cost: 4 }], start);
          expect(tooMuch.allowed).toBe(false);
          expect(tooMuch.statuses[0]).toMatchObject({ remaining: 3, resetMs: 0 });
          expect(await admitted(limiter, [{ rule, cost: 3 }], start)).toBe(true);
          expect((await limiter.consume([{ rule, cost: 1 }], start)).statuses[0]!.remaining).toBe(0);
        });

        it('reports remaining and resetMs for every rule, in the order given', async () => {
          const requests = limitRule({ algorithm, limit: 5, windowMs: 10_000 });
          const tokens = limitRule({ algorithm, name: 'tokens', metric: 'tokens', limit: 100, windowMs: 60_000 });
          const decision = await limiter.consume([{ rule: tokens, cost: 40 }, { rule: requests, cost: 1 }], start);
          expect(decision).toEqual({
            allowed: true,
            statuses: [
              { counter: tokens.counter, name: 'tokens', limit: 100, remaining: 60, resetMs: 0 },
              { counter: requests.counter, name: 'requests', limit: 5, remaining: 4, resetMs: 0 },
            ],
          });
          for (let index = 0; index < 4; index += 1) await limiter.consume([{ rule: requests, cost: 1 }], start + 1_000);
          const spent = await limiter.consume([{ rule: requests, cost: 0 }], start + 1_000);
          // Room for one unit again: when the first unit leaves the window, or when the bucket has refilled one unit
          // (2 s per unit; 1 s has passed since the first take, when 0.5 unit came back).
          expect(spent.statuses[0]).toEqual({
            counter: requests.counter,
            name: 'requests',
            limit: 5,
            remaining: 0,
            resetMs: algorithm === 'sliding-window' ? 9_000 : 1_000,
          });
        });

        it('refuses a multi-rule consume as a whole, taking nothing from the rules that had room', async () => {
          const roomy = limitRule({ algorithm, limit: 5 });
          const spent = limitRule({ algorithm, name: 'tokens', metric: 'tokens', limit: 10 });
          expect(await admitted(limiter, [{ rule: spent, cost: 10 }], start)).toBe(true);
          const refused = await limiter.consume([{ rule: roomy, cost: 2 }, { rule: spent, cost: 1 }], start);
          expect(refused.allowed).toBe(false);
          expect(refused.refusedBy?.counter).toBe(spent.counter);
          expect(refused.statuses[0]).toMatchObject({ counter: roomy.counter, remaining: 5 });
          // Nothing was taken from the roomy rule: all 5 units are still there.
          for (let index = 0; index < 5; index += 1) expect(await admitted(limiter, [{ rule: roomy, cost: 1 }], start)).toBe(true);
          expect(await admitted(limiter, [{ rule: roomy, cost: 1 }], start)).toBe(false);
        });

        it('lets record push a counter past its limit, and the next consume waits for the excess', async () => {
          const rule = limitRule({ algorithm, name: 'tokens', metric: 'tokens', limit: 10, windowMs: 10_000 });
          expect(await admitted(limiter, [{ rule, cost: 4 }], start)).toBe(true);
          await limiter.record([{ rule, cost: 16 }], start + 1_000);
          const refused = await limiter.consume([{ rule, cost: 1 }], start + 1_000);
          expect(refused.allowed).toBe(false);
          expect(refused.statuses[0]!.remaining).toBe(0);
          if (algorithm === 'sliding-window') {
            // 20 used of 10: the 4 taken first leave at start + 10 s, which is not enough; the 16 leave at start + 11 s.
            expect(refused.retryAfterMs).toBe(10_000);
            expect(await admitted(limiter, [{ rule, cost: 1 }], start + 10_999)).toBe(false);
            expect(await admitted(limiter, [{ rule, cost: 1 }], start + 11_000)).toBe(true);
          } else {
            // At start + 1 s the bucket holds 10 - 4 + 1 (refilled) - 16 = -9; one unit needs 10 more, at one per second.
            expect(refused.retryAfterMs).toBe(10_000);
            expect(await admitted(limiter, [{ rule, cost: 1 }], start + 10_999)).toBe(false);
            expect(await admitted(limiter, [{ rule, cost: 1 }], start + 11_000)).toBe(true);
          }
        });

        it('treats a cost of 0 as a check that takes nothing and is refused once nothing remains', async () => {
          const rule = limitRule({ algorithm, limit: 2 });
          expect(await admitted(limiter, [{ rule, cost: 0 }], start)).toBe(true);
          expect((await limiter.consume([{ rule, cost: 0 }], start)).statuses[0]!.remaining).toBe(2);
          await limiter.consume([{ rule, cost: 2 }], start);
          const refused = await limiter.consume([{ rule, cost: 0 }], start);
          expect(refused.allowed).toBe(false);
          expect(refused.retryAfterMs).toBeGreaterThan(0);
        });

        it('refuses a cost above the limit outright, with a retry time of at least a window', async () => {
          const rule = limitRule({ algorithm, name: 'tokens', metric: 'tokens', limit: 10, windowMs: 5_000 });
          const refused = await limiter.consume([{ rule, cost: 11 }], start);
          expect(refused.allowed).toBe(false);
          expect(refused.retryAfterMs).toBeGreaterThanOrEqual(5_000);
          expect(refused.statuses[0]!.remaining).toBe(10);
        });

        it('adds up checks of one call on the same counter', async () => {
          const rule = limitRule({ algorithm, limit: 3 });
          const refused = await limiter.consume([{ rule, cost: 2 }, { rule, cost: 2 }], start);
          expect(refused.allowed).toBe(false);
          const taken = await limiter.consume([{ rule, cost: 1 }, { rule, cost: 2 }], start);
          expect(taken.allowed).toBe(true);
          expect(taken.statuses.map((status) => status.remaining)).toEqual([0, 0]);
        });

        it('gives the same answers for one frozen check list passed with every call, as the governor passes it', async () => {
          const requests = limitRule({ algorithm, limit: 4 });
          const tokens = limitRule({ algorithm, name: 'tokens', metric: 'tokens', limit: 100 });
          // Two checks on one counter in the list: the shared grouping must add them up on every call.
          const checks = frozenChecks([{ rule: requests, cost: 1 }, { rule: tokens, cost: 0 }, { rule: requests, cost: 1 }]);
          const first = await limiter.consume(checks, start);
          expect(first.statuses.map((status) => status.remaining)).toEqual([2, 100, 2]);
          const second = await limiter.consume(checks, start);
          expect(second.statuses.map((status) => status.remaining)).toEqual([0, 100, 0]);
          expect((await limiter.consume(checks, start)).allowed).toBe(false);
          await limiter.record(checks.filter((check) => check.rule.metric === 'tokens').map((check) => ({ rule: check.rule, cost: 60 })), start);
          expect((await limiter.consume([{ rule: tokens, cost: 0 }], start)).statuses[0]!.remaining).toBe(40);
        });

        it('keeps counters apart', async () => {
          const first = limitRule({ algorithm, limit: 1 });
          const second = limitRule({ algorithm, limit: 1 });
          expect(await admitted(limiter, [{ rule: first, cost: 1 }], start)).toBe(true);
          expect(await admitted(limiter, [{ rule: second, cost: 1 }], start)).toBe(true);
          expect(await admitted(limiter, [{ rule: first, cost: 1 }], start)).toBe(false);
        });
      });
    }

    it('refills a token bucket evenly over the window, never above the limit', async () => {
      const rule = limitRule({ algorithm: 'token-bucket', limit: 10, windowMs: 10_000 });
      expect(await admitted(limiter, [{ rule, cost: 10 }], start)).toBe(true);
      expect(await admitted(limiter, [{ rule, cost: 1 }], start + 999)).toBe(false);
      expect(await admitted(limiter, [{ rule, cost: 1 }], start + 1_000)).toBe(true);
      expect(await admitted(limiter, [{ rule, cost: 1 }], start + 1_000)).toBe(false);
      const half = await limiter.consume([{ rule, cost: 0 }], start + 6_000);
      expect(half.statuses[0]!.remaining).toBe(5);
      // Long idle: the bucket is full again, with 10 units and not more.
      expect(await admitted(limiter, [{ rule, cost: 10 }], start + 100_000)).toBe(true);
      expect(await admitted(limiter, [{ rule, cost: 1 }], start + 100_000)).toBe(false);
    });

    it('slides the window: a unit counts for exactly windowMs after it was taken', async () => {
      const rule = limitRule({ algorithm: 'sliding-window', limit: 3, windowMs: 1_000 });
      for (const offset of [0, 300, 600]) expect(await admitted(limiter, [{ rule, cost: 1 }], start + offset)).toBe(true);
      const refused = await limiter.consume([{ rule, cost: 1 }], start + 999);
      expect(refused.retryAfterMs).toBe(1);
      expect(await admitted(limiter, [{ rule, cost: 1 }], start + 1_000)).toBe(true);
      const next = await limiter.consume([{ rule, cost: 1 }], start + 1_001);
      expect(next.allowed).toBe(false);
      expect(next.retryAfterMs).toBe(299);
      // A cost of 2 needs the units taken at 300 and 600 to leave.
      const two = await limiter.consume([{ rule, cost: 2 }], start + 1_001);
      expect(two.retryAfterMs).toBe(599);
    });

    it('counts a window per rule, so a short and a long window on one name both hold', async () => {
      const perSecond = limitRule({ limit: 2, windowMs: 1_000 });
      const perMinute = limitRule({ limit: 3, windowMs: 60_000 });
      const both = (nowMs: number) => admitted(limiter, [{ rule: perSecond, cost: 1 }, { rule: perMinute, cost: 1 }], nowMs);
      expect([await both(start), await both(start), await both(start)]).toEqual([true, true, false]);
      expect(await both(start + 1_000)).toBe(true);
      const refused = await limiter.consume([{ rule: perSecond, cost: 1 }, { rule: perMinute, cost: 1 }], start + 2_000);
      expect(refused.refusedBy?.counter).toBe(perMinute.counter);
      expect(refused.retryAfterMs).toBe(58_000);
    });

    describe('concurrency', () => {
      it('holds at most `limit` slots and frees one on release', async () => {
        const counter = limitRule().counter;
        const first = await limiter.acquire(counter, 2, 60_000, start);
        const second = await limiter.acquire(counter, 2, 60_000, start);
        expect([first.allowed, first.inFlight, second.allowed, second.inFlight]).toEqual([true, 1, true, 2]);
        const third = await limiter.acquire(counter, 2, 60_000, start);
        expect(third).toEqual({ allowed: false, inFlight: 2 });
        await first.lease!.release();
        const fourth = await limiter.acquire(counter, 2, 60_000, start + 1);
        expect([fourth.allowed, fourth.inFlight]).toEqual([true, 2]);
      });

      it('makes a second release harmless: it frees no one else’s slot', async () => {
        const counter = limitRule().counter;
        const first = await limiter.acquire(counter, 2, 60_000, start);
        await first.lease!.release();
        const second = await limiter.acquire(counter, 2, 60_000, start);
        const third = await limiter.acquire(counter, 2, 60_000, start);
        expect([second.inFlight, third.inFlight]).toEqual([1, 2]);
        await first.lease!.release();
        const fourth = await limiter.acquire(counter, 2, 60_000, start);
        expect(fourth).toEqual({ allowed: false, inFlight: 2 });
      });

      it('frees a slot whose holder never released it once its lease expires', async () => {
        const counter = limitRule().counter;
        expect((await limiter.acquire(counter, 1, 30_000, start)).allowed).toBe(true);
        expect((await limiter.acquire(counter, 1, 30_000, start + 29_999)).allowed).toBe(false);
        const after = await limiter.acquire(counter, 1, 30_000, start + 30_000);
        expect([after.allowed, after.inFlight]).toEqual([true, 1]);
      });

      it('keeps concurrency counters apart', async () => {
        const first = limitRule().counter;
        const second = limitRule().counter;
        expect((await limiter.acquire(first, 1, 60_000, start)).allowed).toBe(true);
        expect((await limiter.acquire(second, 1, 60_000, start)).allowed).toBe(true);
      });
    });
  });
}
