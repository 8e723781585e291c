import { groupChecksByCounter, unitsNeeded } from './grouped-checks.js';
import { MemoryConcurrencySlots } from './memory-concurrency-slots.js';
import { createMemoryCounter, type MemoryCounter } from './memory-counters.js';
import type { ConcurrencyDecision, LimitCheck, LimitDecision, LimitRule, LimitStatus, RateLimiter } from './rate-limiter.js';

/** Options of the in-process limiter. */
export interface MemoryRateLimiterOptions {
  /**
   * How often (in the callers' `nowMs`) counters that went idle and slots whose leases expired are
   * forgotten, so a gateway that saw a million keys once does not keep a million counters. Default a minute.
   */
  sweepIntervalMs?: number;
}

/**
 * The embedded preset's {@link RateLimiter}: exact, in one process. Every method runs to completion without
 * awaiting, so calls never interleave and each is atomic. See {@link MemoryCounter} for the algorithms.
 *
 * Semantics shared with the Redis limiter (the contract suite holds both to them):
 * - a check is admitted when `max(cost, 1)` units fit, so a cost-0 check is refused once `remaining` is 0;
 * - a cost above the limit can never fit: it is refused with `retryAfterMs` of at least a whole window;
 * - checks of one call on the same counter are added up and decided together;
 * - `retryAfterMs` is the longest wait among the refusing rules (`refusedBy` is the first of them), so a
 *   client that waits that long is not refused again by another of the same rules.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly counters = new Map<string, MemoryCounter>();
  /** The last rule stored per counter: the sweep needs its limit and window. */
  private readonly rules = new Map<string, LimitRule>();
  private readonly slots = new MemoryConcurrencySlots();
  private readonly sweepIntervalMs: number;
  private lastSweepMs: number | undefined;

  constructor(options: MemoryRateLimiterOptions = {}) {
    this.sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
  }

  async consume(checks: ReadonlyArray<LimitCheck>, nowMs: number): Promise<LimitDecision> {
    this.sweepWhenDue(nowMs);
    const { groups, groupOfCheck } = groupChecksByCounter(checks);
    const counters = groups.map((group) => this.counterAt(group.rule, nowMs));

    let refusedGroup: number | undefined;
    let retryAfterMs = 0;
    groups.forEach((group, index) => {
      const counter = counters[index]!;
      const needed = unitsNeeded(group.cost);
      if (needed <= group.rule.limit && counter.fits(group.rule, needed)) return;
      refusedGroup ??= index;
      retryAfterMs = Math.max(retryAfterMs, waitForCost(counter, group.rule, needed, nowMs));
    });

    if (refusedGroup === undefined) {
      groups.forEach((group, index) => {
        if (group.cost <= 0) return;
        const counter = counters[index]!;
        counter.take(group.cost, nowMs);
        this.store(group.rule, counter);
      });
    }

    const groupStatuses = groups.map((group, index) => statusOf(counters[index]!, group.rule, nowMs));
    const statuses = groupOfCheck.map((index) => groupStatuses[index]!);
    if (refusedGroup === undefined) return { allowed: true, statuses };
    return { allowed: false, statuses, refusedBy: groupStatuses[refusedGroup]!, retryAfterMs };
  }

  async record(checks: ReadonlyArray<LimitCheck>, nowMs: number): Promise<void> {
    this.sweepWhenDue(nowMs);
    const { groups } = groupChecksByCounter(checks);
    for (const group of groups) {
      if (group.cost <= 0) continue;
      const counter = this.counterAt(group.rule, nowMs);
      counter.take(group.cost, nowMs);
      this.store(group.rule, counter);
    }
  }

  async acquire(counter: string, limit: number, leaseMs: number, nowMs: number): Promise<ConcurrencyDecision> {
    this.sweepWhenDue(nowMs);
    return this.slots.acquire(counter, limit, leaseMs, nowMs);
  }

  async close(): Promise<void> {
    this.counters.clear();
    this.rules.clear();
  }

  /** How many counters and concurrency slot sets are held now (idle ones are swept). */
  get trackedCount(): number {
    return this.counters.size + this.slots.size;
  }

  /** Forgets every counter that is back to its fresh state and every expired lease. */
  sweep(nowMs: number): void {
    this.lastSweepMs = nowMs;
    for (const [name, counter] of this.counters) {
      const rule = this.rules.get(name)!;
      counter.advance(rule, nowMs);
      if (counter.idleAfterMs(rule, nowMs) > 0) continue;
      this.counters.delete(name);
      this.rules.delete(name);
    }
    this.slots.sweep(nowMs);
  }

  /** The counter's state brought up to `nowMs`; a fresh one (not yet stored) when it has none. */
  private counterAt(rule: LimitRule, nowMs: number): MemoryCounter {
    let counter = this.counters.get(rule.counter);
    // A definition switched to the other algorithm starts afresh rather than misreading the old state.
    if (counter === undefined || counter.algorithm !== rule.algorithm) counter = createMemoryCounter(rule, nowMs);
    counter.advance(rule, nowMs);
    return counter;
  }

  private store(rule: LimitRule, counter: MemoryCounter): void {
    this.counters.set(rule.counter, counter);
    this.rules.set(rule.counter, rule);
  }

  private sweepWhenDue(nowMs: number): void {
    if (this.lastSweepMs === undefined) this.lastSweepMs = nowMs;
    else if (Math.abs(nowMs - this.lastSweepMs) >= this.sweepIntervalMs) this.sweep(nowMs);
  }
}

function statusOf(counter: MemoryCounter, rule: LimitRule, nowMs: number): LimitStatus {
  return {
    counter: rule.counter,
    name: rule.name,
    limit: rule.limit,
    remaining: counter.remaining(rule),
    resetMs: counter.waitMs(rule, 1, nowMs),
  };
}

function waitForCost(counter: MemoryCounter, rule: LimitRule, needed: number, nowMs: number): number {
  if (needed <= rule.limit) return counter.waitMs(rule, needed, nowMs);
  return Math.max(rule.windowMs, counter.idleAfterMs(rule, nowMs));
}
