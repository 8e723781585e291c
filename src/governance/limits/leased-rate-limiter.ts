import type { CounterLease, CounterLeaseStore } from './counter-leases.js';
import { InFlightOperations } from '../../kit/in-flight-operations.js';
import { groupChecksByCounter, unitsNeeded, type GroupedCheck } from './grouped-checks.js';
import type { ConcurrencyDecision, LimitCheck, LimitDecision, LimitRule, LimitStatus, RateLimiter } from './rate-limiter.js';

/** Options of {@link LeasedRateLimiter}. */
export interface LeasedRateLimiterOptions {
  /** How long a lease admits requests before its unused units go back (default 250 ms; at most 1 s). */
  leaseMs?: number;
  /**
   * A lease takes at most this share of each window's free units (default 1/16): near a limit leases shrink,
   * then stop, and every request is decided by the shared store.
   */
  headroomShare?: number;
  /** A lease is taken only for counter sets that saw at least this many requests in one lease period. */
  minimumRequestsPerLease?: number;
  /** Milliseconds since the epoch, for leases taken and returned in the background. */
  clock: () => number;
  onError(error: Error): void;
}

interface ActiveLease {
  lease: CounterLease;
  /** Units taken from the lease per rule (may pass the units granted by recorded usage). */
  used: number[];
  retired: boolean;
}

/** The counters one set of requests checks together, and the lease it holds on them. */
interface Pool {
  rules: LimitRule[];
  current?: ActiveLease;
  acquiring: boolean;
  /** Units taken or recorded per rule, and requests, since `observedSince`: sizes the next lease. */
  demand: number[];
  requests: number;
  observedSince: number;
  /** Units left per rule by the shared store's last answer. */
  remaining: number[];
  lastUsed: number;
}

const defaultLeaseMs = 250;
const defaultHeadroomShare = 1 / 16;
const defaultMinimumRequests = 8;
/** A lease of request units must serve a few requests to be worth its round trips. */
const minimumRequestUnits = 4;
/** Pools idle this many lease periods are dropped. */
const idlePeriods = 40;

/**
 * A {@link RateLimiter} that keeps the shared store (Redis on the scaled preset) off most requests' path.
 *
 * Why: each governed request waited for a Redis round trip and a script run before its call, which halved
 * throughput at one request at a time. Here a replica whose traffic on a set of sliding-window counters is
 * steady takes a *lease*: some units of each counter, all or none, logged in the shared window as one entry
 * stamped at the lease's end. Requests are admitted from it in memory; recorded usage (tokens) is charged to
 * it; when it ends, its entry is replaced by the units really used, stamped at that moment.
 *
 * Exactness: a leased unit is in the shared window from when it is leased until at least one window after
 * its use, so no window ever admits more than its limit, across any number of replicas. The cost is on the
 * other side: units leased by one replica and not used are unavailable to the others until the lease ends
 * (at most `leaseMs`), and a used unit counts in the window up to `leaseMs` longer than its use. Leases take
 * at most `headroomShare` of the free units and stop when that is below a few requests' worth, so the last
 * units of a window are decided request by request, as without leases. Token buckets, concurrency slots and
 * quiet counters go straight to the store. `x-ratelimit-remaining` from a lease is the window's free units
 * when the lease was taken plus the lease's own unused ones: other replicas' use since then is not in it.
 */
export class LeasedRateLimiter implements RateLimiter {
  private readonly pools = new Map<string, Pool>();
  private readonly keyOfGroups = new WeakMap<ReadonlyArray<Readonly<GroupedCheck>>, string>();
  /** The live lease that holds each counter, for usage recorded after the call. */
  private readonly leaseOfCounter = new Map<string, { active: ActiveLease; pool: Pool; index: number }>();
  private readonly leaseMs: number;
  private readonly headroomShare: number;
  private readonly minimumRequests: number;
  private readonly sweeper: NodeJS.Timeout;
  /** Lease requests and returns sent and not yet answered (a request's own lease is installed when it lands). */
  private readonly inFlight = new InFlightOperations();

  constructor(
    private readonly inner: RateLimiter & CounterLeaseStore,
    private readonly options: LeasedRateLimiterOptions,
  ) {
    // The store keeps a counter's keys a second past its window; a lease entry stamped later would outlive them.
    this.leaseMs = Math.min(options.leaseMs ?? defaultLeaseMs, 1000);
    this.headroomShare = options.headroomShare ?? defaultHeadroomShare;
    this.minimumRequests = options.minimumRequestsPerLease ?? defaultMinimumRequests;
    this.sweeper = setInterval(() => this.sweep(), Math.max(10, Math.floor(this.leaseMs / 2)));
    this.sweeper.unref();
  }

  async consume(checks: ReadonlyArray<LimitCheck>, nowMs: number): Promise<LimitDecision> {
    const { groups, groupOfCheck } = groupChecksByCounter(checks);
    if (groups.length === 0 || groups.some((group) => group.rule.algorithm !== 'sliding-window')) return this.inner.consume(checks, nowMs);
    const key = this.poolKeyOf(groups);
    let pool = this.pools.get(key);
    if (pool === undefined) {
      pool = { rules: groups.map((group) => group.rule), acquiring: false, demand: groups.map(() => 0), requests: 0, observedSince: nowMs, remaining: groups.map(() => 0), lastUsed: nowMs };
      this.pools.set(key, pool);
    }
    pool.lastUsed = nowMs;
    pool.requests += 1;
    for (let index = 0; index < groups.length; index += 1) pool.demand[index]! += groups[index]!.cost;
    const active = pool.current;
    if (active !== undefined && nowMs < active.lease.untilMs && fitsIn(active, groups)) {
      const statuses = groups.map((group, index): LimitStatus => {
        active.used[index]! += group.cost;
        const remaining = Math.max(0, Math.floor(active.lease.remaining[index]! + active.lease.units[index]! - active.used[index]!));
        return { counter: group.rule.counter, name: group.rule.name, limit: group.rule.limit, remaining, resetMs: 0 };
      });
      this.renewIfDue(pool, key, nowMs);
      return { allowed: true, statuses: groupOfCheck.map((index) => statuses[index]!) };
    }
    const decision = await this.inner.consume(checks, nowMs);
    groupOfCheck.forEach((group, check) => (pool.remaining[group] = decision.statuses[check]!.remaining));
    if (decision.allowed) this.renewIfDue(pool, key, nowMs);
    return decision;
  }

  async record(checks: ReadonlyArray<LimitCheck>, nowMs: number): Promise<void> {
    const { groups } = groupChecksByCounter(checks);
    const rest: LimitCheck[] = [];
    for (const group of groups) {
      if (group.cost <= 0) continue;
      const holder = this.leaseOfCounter.get(group.rule.counter);
      if (holder === undefined || holder.active.retired) {
        rest.push(group);
        continue;
      }
      // Charged to the lease: logged in the shared window when it ends, no earlier than now.
      holder.active.used[holder.index]! += group.cost;
      holder.pool.demand[holder.index]! += group.cost;
    }
    if (rest.length > 0) await this.inner.record(rest, nowMs);
  }

  acquire(counter: string, limit: number, leaseMs: number, nowMs: number): Promise<ConcurrencyDecision> {
    return this.inner.acquire(counter, limit, leaseMs, nowMs);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    // A lease still on its way would land after the store closed and hold its units until it ended.
    await this.settled();
    const now = this.options.clock();
    for (const pool of this.pools.values()) if (pool.current !== undefined) this.retire(pool, pool.current, now);
    this.pools.clear();
    await this.settled();
    await this.inner.close();
  }

  /** Resolves once every lease request and return this replica has sent is answered and applied. */
  settled(): Promise<void> {
    return this.inFlight.settled();
  }

  /** The pool key of a grouping; a shared grouping (of a frozen check list) keeps its key. */
  private poolKeyOf(groups: ReadonlyArray<Readonly<GroupedCheck>>): string {
    let key = this.keyOfGroups.get(groups);
    if (key === undefined) {
      key = poolKey(groups);
      if (Object.isFrozen(groups)) this.keyOfGroups.set(groups, key);
    }
    return key;
  }

  /** Takes a fresh lease in the background when the current one is missing, ending or mostly used. */
  private renewIfDue(pool: Pool, key: string, nowMs: number): void {
    if (pool.acquiring) return;
    const active = pool.current;
    if (active !== undefined && active.lease.untilMs - nowMs > this.leaseMs / 2 && halfLeft(active)) return;
    const elapsed = Math.max(1, nowMs - pool.observedSince);
    if (pool.requests < this.minimumRequests && elapsed < this.leaseMs) return;
    const busy = (pool.requests * this.leaseMs) / elapsed >= this.minimumRequests;
    // Enough for two lease periods at the rate seen, so a lease rarely runs dry before the next arrives.
    const units = pool.rules.map((rule, index) => {
      const wanted = Math.ceil((pool.demand[index]! / elapsed) * this.leaseMs * 2);
      return Math.min(Math.max(wanted, 1), Math.floor(pool.remaining[index]! * this.headroomShare));
    });
    pool.demand.fill(0);
    pool.requests = 0;
    pool.observedSince = nowMs;
    if (!busy || pool.rules.some((rule, index) => units[index]! < (rule.metric === 'requests' ? minimumRequestUnits : 1))) return;
    pool.acquiring = true;
    this.inFlight.track(this.inner.takeLease(pool.rules, units, nowMs, nowMs + this.leaseMs).then(
      (lease) => {
        pool.acquiring = false;
        if (lease === undefined) return;
        const fresh: ActiveLease = { lease, used: lease.units.map(() => 0), retired: false };
        // The pool may have been dropped meanwhile: a lease nobody will use goes straight back.
        if (this.pools.get(key) !== pool) {
          this.retire(pool, fresh, this.options.clock());
          return;
        }
        const previous = pool.current;
        // A lease that arrives already over (a slow reply) is logged at once rather than at the next sweep.
        if (this.options.clock() >= lease.untilMs) {
          this.retire(pool, fresh, this.options.clock());
          return;
        }
        pool.current = fresh;
        pool.remaining = [...lease.remaining];
        pool.rules.forEach((rule, index) => this.leaseOfCounter.set(rule.counter, { active: fresh, pool, index }));
        if (previous !== undefined) this.retire(pool, previous, this.options.clock());
      },
      (error: Error) => {
        pool.acquiring = false;
        this.options.onError(error);
      },
    ));
  }

  /** Ends a lease: what was not used goes back, what was is logged now. */
  private retire(pool: Pool, active: ActiveLease, nowMs: number): void {
    if (active.retired) return;
    active.retired = true;
    if (pool.current === active) pool.current = undefined;
    for (const rule of active.lease.rules) if (this.leaseOfCounter.get(rule.counter)?.active === active) this.leaseOfCounter.delete(rule.counter);
    this.inFlight.track(this.inner.returnLease(active.lease, active.used, nowMs).catch((error: Error) => this.options.onError(error)));
  }

  private sweep(): void {
    const now = this.options.clock();
    for (const [key, pool] of this.pools) {
      if (pool.current !== undefined && now >= pool.current.lease.untilMs) this.retire(pool, pool.current, now);
      if (pool.current === undefined && !pool.acquiring && now - pool.lastUsed > idlePeriods * this.leaseMs) this.pools.delete(key);
    }
  }
}

/** Requests share a pool when they check the same counters at the same limits and windows. */
function poolKey(groups: ReadonlyArray<GroupedCheck>): string {
  let key = '';
  for (const { rule } of groups) key += `${rule.counter}:${rule.limit}:${rule.windowMs}|`;
  return key;
}

function fitsIn(active: ActiveLease, groups: ReadonlyArray<GroupedCheck>): boolean {
  for (let index = 0; index < groups.length; index += 1) {
    if (active.lease.units[index]! - active.used[index]! < unitsNeeded(groups[index]!.cost)) return false;
  }
  return true;
}

function halfLeft(active: ActiveLease): boolean {
  for (let index = 0; index < active.used.length; index += 1) {
    if ((active.lease.units[index]! - active.used[index]!) * 2 < active.lease.units[index]!) return false;
  }
  return true;
}
