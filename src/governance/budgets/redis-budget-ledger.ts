import type { Redis } from 'ioredis';
import { GatewayError, isGatewayError } from '../../spec/gateway-error.js';
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
  uniqueBudgets,
  type BudgetLedgerOptions,
} from './budget-ledger-rules.js';
import { periodBounds } from './budget-period.js';
import { keysPerBudget, reserveScript, seedScript, settleScript, statesScript } from './redis-budget-scripts.js';
import type { LuaScript } from '../../db/redis-script.js';
import { BatchedRedisScript, governanceScriptBatch } from '../../db/batched-redis-script.js';

/** Options of {@link RedisBudgetLedger}. */
export interface RedisBudgetLedgerOptions extends BudgetLedgerOptions {
  /** The connection. It stays the caller's: {@link RedisBudgetLedger.close} does not close it. */
  redis: Redis;
  /**
   * Prefix of every key. Keep one `{hash tag}` in it: a reservation touches several budgets in one script,
   * and on Redis Cluster a script's keys must share a slot.
   */
  keyPrefix?: string;
}

/** The default key prefix. */
export const defaultBudgetKeyPrefix = 'switchyard:{governance}:budgets:';

interface BudgetPeriod {
  budget: BudgetDefinition;
  start: number;
  end: number;
}

type ScriptReply = [tag: string, index: number, figures: number[]] | ['seed', number[]];

// A period's counter was not found a second time right after seeding it only when its key expired in
// between or Redis lost it: a third look would not do better.
const seedAttempts = 3;

/**
 * The budget ledger of the scaled preset: every check-and-change is one Lua script, so any number of
 * replicas sharing the Redis enforce one limit exactly (see the bound in `budget-ledger.ts`). Time is the
 * callers' `nowMs`, so replicas' clocks should agree to well within a reservation lease.
 */
export class RedisBudgetLedger implements BudgetLedger {
  private readonly redis: Redis;
  private readonly keyPrefix: string;
  private readonly options: ReturnType<typeof resolveLedgerOptions>;

  constructor(options: RedisBudgetLedgerOptions) {
    this.redis = options.redis;
    this.keyPrefix = options.keyPrefix ?? defaultBudgetKeyPrefix;
    this.options = resolveLedgerOptions(options);
  }

  async reserve(budgets: ReadonlyArray<BudgetDefinition>, amountMicros: number, nowMs: number): Promise<ReserveOutcome> {
    assertMicros(amountMicros, 'amountMicros');
    const periods = this.periodsOf(budgets, nowMs);
    const id = this.options.createId();
    const args: Array<string | number> = [nowMs, amountMicros, id, nowMs + this.options.reservationTtlMs, this.requireSeed()];
    for (const period of periods) args.push(period.budget.limitMicros, this.counterTtl(period, nowMs));
    const [tag, index, figures] = await this.runSeeding(reserveScript, periods, args, nowMs);
    const states = periods.map((period, position) => stateOf(period, figures, position));
    if (tag === 'refused') return { admitted: false, refusedBy: states[index - 1]!, states };
    return {
      admitted: true,
      reservation: { id, amountMicros, holds: periods.map((period) => ({ budgetId: period.budget.id, periodStart: period.start })) },
      states,
    };
  }

  async settle(reservation: BudgetReservation, actualMicros: number, budgets: ReadonlyArray<BudgetDefinition>, nowMs: number): Promise<ThresholdCrossing[]> {
    assertMicros(actualMicros, 'actualMicros');
    if (reservation.holds.length === 0) return [];
    const keys: string[] = [];
    const args: Array<string | number> = [nowMs, reservation.id, actualMicros, this.requireSeed()];
    const definitions = reservation.holds.map((hold) => budgets.find((budget) => budget.id === hold.budgetId));
    reservation.holds.forEach((hold, position) => {
      const budget = definitions[position];
      keys.push(...this.keysOf(hold.budgetId, hold.periodStart));
      // A budget deleted meanwhile still gets the spend; its counter lives as long as a month's would.
      const periodEnd = budget ? periodBounds(budget.period, hold.periodStart).end : hold.periodStart + 31 * 86_400_000;
      const ttl = Math.max(1, counterDiscardAfter(periodEnd, this.options.reservationTtlMs) - nowMs);
      args.push(budget ? budget.limitMicros : '', ttl, budget ? budget.thresholds.join(',') : '');
    });
    // Deferred: the answer has been sent; settling rides with the next batch (see RedisScriptBatch).
    const flat = (await this.run(settleScript, keys, args, true)) as number[];
    const crossings: ThresholdCrossing[] = [];
    for (let offset = 0; offset < flat.length; offset += 3) {
      const hold = reservation.holds[flat[offset]! - 1]!;
      const budget = definitions[flat[offset]! - 1]!;
      crossings.push({ budgetId: hold.budgetId, threshold: flat[offset + 1]!, periodStart: hold.periodStart, spentMicros: flat[offset + 2]!, limitMicros: budget.limitMicros });
    }
    return crossings;
  }

  async states(budgets: ReadonlyArray<BudgetDefinition>, nowMs: number): Promise<BudgetState[]> {
    const periods = this.periodsOf(budgets, nowMs);
    const [, , figures] = await this.runSeeding(statesScript, periods, [nowMs, this.requireSeed()], nowMs);
    return periods.map((period, position) => stateOf(period, figures, position));
  }

  async close(): Promise<void> {
    // The connection is the caller's (it may serve other stores); only deferred settlements are held.
    await governanceScriptBatch.flush(this.redis);
  }

  private periodsOf(budgets: ReadonlyArray<BudgetDefinition>, nowMs: number): BudgetPeriod[] {
    return uniqueBudgets(budgets).map((budget) => ({ budget, ...periodBounds(budget.period, nowMs) }));
  }

  private keysOf(budgetId: string, periodStart: number): string[] {
    const counter = `${this.keyPrefix}${budgetId}:${periodStart}`;
    return [counter, `${counter}:held`, `${counter}:leases`, `${counter}:expired`];
  }

  private counterTtl(period: BudgetPeriod, nowMs: number): number {
    return Math.max(1, counterDiscardAfter(period.end, this.options.reservationTtlMs) - nowMs);
  }

  private requireSeed(): string {
    return this.options.loader === undefined ? '0' : '1';
  }

  /** Runs a script that asks for seeding when a counter is missing; seeds those and runs it again. */
  private async runSeeding(script: LuaScript, periods: BudgetPeriod[], args: Array<string | number>, nowMs: number): Promise<[string, number, number[]]> {
    if (periods.length === 0) return ['admitted', 0, []];
    const keys = periods.flatMap((period) => this.keysOf(period.budget.id, period.start));
    for (let attempt = 1; attempt <= seedAttempts; attempt += 1) {
      const reply = (await this.run(script, keys, args)) as ScriptReply;
      if (reply[0] !== 'seed') return reply as [string, number, number[]];
      await this.seed((reply[1] as number[]).map((index) => periods[index - 1]!), nowMs);
    }
    throw new GatewayError('service_unavailable', 'The budget counters could not be initialised in Redis.');
  }

  private async seed(periods: BudgetPeriod[], nowMs: number): Promise<void> {
    const loader = this.options.loader!;
    const spent = await Promise.all(periods.map((period) => loadSpend(loader, period.budget, period.start, period.end)));
    const keys = periods.map((period) => this.keysOf(period.budget.id, period.start)[0]!);
    const args = periods.flatMap((period, position) => [
      spent[position]!,
      period.budget.limitMicros,
      this.counterTtl(period, nowMs),
      period.budget.thresholds.join(','),
    ]);
    await this.run(seedScript, keys, args);
  }

  private async run(script: LuaScript, keys: string[], args: ReadonlyArray<string | number>, deferred = false): Promise<unknown> {
    try {
      return await (deferred && script instanceof BatchedRedisScript ? script.runDeferred(this.redis, keys, args) : script.run(this.redis, keys, args));
    } catch (error) {
      if (isGatewayError(error)) throw error;
      // Refuse rather than let requests through unmetered; the cause stays for the logs, the message is generic.
      throw new GatewayError('service_unavailable', 'The budget store (Redis) is unreachable, so budgets cannot be enforced.', { cause: error });
    }
  }
}

function stateOf(period: BudgetPeriod, figures: number[], position: number): BudgetState {
  return {
    budgetId: period.budget.id,
    periodStart: period.start,
    periodEnd: period.end,
    spentMicros: Number(figures[position * 2] ?? 0),
    reservedMicros: Number(figures[position * 2 + 1] ?? 0),
    limitMicros: period.budget.limitMicros,
  };
}
