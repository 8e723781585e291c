import type { BudgetDefinition, BudgetLedger, BudgetReservation, BudgetState, ReserveOutcome, ThresholdCrossing } from './budget-ledger.js';
import { InFlightOperations } from '../../kit/in-flight-operations.js';
import { periodBounds } from './budget-period.js';

/** Options of {@link LeasedBudgetLedger}. */
export interface LeasedBudgetLedgerOptions {
  /** How long a headroom lease serves reservations before it is settled and replaced (default 250 ms). */
  leaseMs?: number;
  /**
   * A lease is taken only while at most this share of every budget's free headroom covers it (default 1/16):
   * near a limit leases shrink with the headroom, then stop, and every reservation goes to the shared store.
   */
  headroomShare?: number;
  /** A lease is taken only for budget sets that saw at least this many reservations in one lease period. */
  minimumReservationsPerLease?: number;
  /** Milliseconds since the epoch; the store's own calls keep taking the callers' `nowMs`. */
  clock: () => number;
  /**
   * Thresholds crossed when a lease is settled by the background sweep rather than by a request's own
   * settlement (which returns them to its caller as usual).
   */
  onCrossings(crossings: ThresholdCrossing[], budgets: ReadonlyArray<BudgetDefinition>): void;
  onError(error: Error): void;
}

/** One lease: a reservation taken on the shared store, lent out to this replica's requests. */
interface Lease {
  reservation: BudgetReservation;
  budgets: ReadonlyArray<BudgetDefinition>;
  /** The shared store's states right after the lease was reserved (it counts as reserved there). */
  states: ReadonlyArray<BudgetState>;
  /** Serves new reservations until then. */
  until: number;
  /** Lent out to requests still in flight. */
  lentMicros: number;
  /** Real cost of the requests it served that have settled. */
  spentMicros: number;
  inFlight: number;
  retired: boolean;
  settled: boolean;
}

/** The budgets one set of requests reserves on (same budgets, same periods), and its leases. */
interface Pool {
  current?: Lease;
  /** Leases retired with requests still in flight; settled when the last one settles. */
  draining: Set<Lease>;
  acquiring: boolean;
  /** Reservations (micro-dollars, count) seen since the current period of observation began. */
  demandMicros: number;
  demandCount: number;
  largestMicros: number;
  observedSince: number;
  /** Free headroom per budget, from the last answer of the shared store. */
  headroomMicros: number;
  lastUsed: number;
}

interface LocalReservation {
  lease: Lease;
  pool: Pool;
}

const defaultLeaseMs = 250;
const defaultHeadroomShare = 1 / 16;
const defaultMinimumReservations = 8;
/** Pools idle this many lease periods are dropped (their leases were settled long before). */
const idlePeriods = 40;

/**
 * A {@link BudgetLedger} that keeps the shared store (Redis on the scaled preset) off most requests' path.
 *
 * Why: on the scaled preset each governed request waited for a Redis round trip (and a script run) before the
 * call; at one request at a time that halved throughput. Here a replica reserves a *lease* of headroom, an
 * ordinary reservation of the shared store sized to what its traffic reserves in one lease period, and lends
 * it to its own requests in memory; when the lease ends (after `leaseMs`, or when a fresh one replaces it) it
 * is settled with the real cost of the requests it served, once the last of them has settled.
 *
 * The bound of `budget-ledger.ts` is kept: a lease is itself admitted only when `spent + reserved + lease <=
 * limit`, and a request borrows from it only what the lease still has free, so reservations never exceed a
 * limit; spend goes past it only by what requests cost beyond their reservations. What changes:
 * - Leases are taken only when every budget has at least `1 / headroomShare` leases' worth of free headroom
 *   (and the set is busy). Near a limit they shrink, then stop: the last stretch is reserved request by request
 *   on the shared store, exactly as without leases. Headroom held by another replica's lease can refuse a
 *   request that would have fit; it is free again within one lease period (plus the longest request in flight).
 * - Spend reaches the shared store when a lease settles, up to `leaseMs` later (plus the requests in flight);
 *   `states` adds this replica's own unsettled spend, so it reads its own writes. A replica that dies loses the
 *   spend of its open lease from the counter (the usage ledger still has every row); its reservation expires.
 */
export class LeasedBudgetLedger implements BudgetLedger {
  private readonly pools = new Map<string, Pool>();
  private readonly local = new Map<string, LocalReservation>();
  /**
   * Each budget list's pool key and the span it holds for (until the first of its periods ends): the view hands
   * out one list per key until definitions change, so the calendar is consulted once per period, not per request.
   */
  private readonly keys = new WeakMap<ReadonlyArray<BudgetDefinition>, { key: string; from: number; until: number }>();
  private readonly leaseMs: number;
  private readonly headroomShare: number;
  private readonly minimumReservations: number;
  private readonly sweeper: NodeJS.Timeout;
  /** Lease reservations and background settlements sent and not yet answered. */
  private readonly pending = new InFlightOperations();
  private sequence = 0;

  constructor(
    private readonly inner: BudgetLedger,
    private readonly options: LeasedBudgetLedgerOptions,
  ) {
    this.leaseMs = options.leaseMs ?? defaultLeaseMs;
    this.headroomShare = options.headroomShare ?? defaultHeadroomShare;
    this.minimumReservations = options.minimumReservationsPerLease ?? defaultMinimumReservations;
    this.sweeper = setInterval(() => this.sweep(), Math.max(10, Math.floor(this.leaseMs / 2)));
    this.sweeper.unref();
  }

  async reserve(budgets: ReadonlyArray<BudgetDefinition>, amountMicros: number, nowMs: number): Promise<ReserveOutcome> {
    const key = this.poolKey(budgets, nowMs);
    let pool = this.pools.get(key);
    if (pool === undefined) {
      pool = { draining: new Set(), acquiring: false, demandMicros: 0, demandCount: 0, largestMicros: 0, observedSince: nowMs, headroomMicros: 0, lastUsed: nowMs };
      this.pools.set(key, pool);
    }
    pool.lastUsed = nowMs;
    pool.demandMicros += amountMicros;
    pool.demandCount += 1;
    if (amountMicros > pool.largestMicros) pool.largestMicros = amountMicros;
    const lease = pool.current;
    if (lease !== undefined && nowMs < lease.until && lease.reservation.amountMicros - lease.lentMicros - lease.spentMicros >= amountMicros) {
      lease.lentMicros += amountMicros;
      lease.inFlight += 1;
      const id = `${lease.reservation.id}.${(this.sequence += 1)}`;
      this.local.set(id, { lease, pool });
      this.renewIfDue(pool, key, budgets, nowMs);
      return { admitted: true, reservation: { id, amountMicros, holds: lease.reservation.holds }, states: leaseStates(lease) };
    }
    const outcome = await this.inner.reserve(budgets, amountMicros, nowMs);
    pool.headroomMicros = minimumHeadroom(outcome.states);
    if (outcome.admitted) this.renewIfDue(pool, key, budgets, nowMs);
    return outcome;
  }

  async settle(reservation: BudgetReservation, actualMicros: number, budgets: ReadonlyArray<BudgetDefinition>, nowMs: number): Promise<ThresholdCrossing[]> {
    const local = this.local.get(reservation.id);
    if (local === undefined) return this.inner.settle(reservation, actualMicros, budgets, nowMs);
    this.local.delete(reservation.id);
    const { lease, pool } = local;
    lease.lentMicros -= reservation.amountMicros;
    lease.spentMicros += actualMicros;
    lease.inFlight -= 1;
    if (lease.retired && lease.inFlight === 0) {
      pool.draining.delete(lease);
      return this.settleLease(lease, nowMs);
    }
    return [];
  }

  async states(budgets: ReadonlyArray<BudgetDefinition>, nowMs: number): Promise<BudgetState[]> {
    const states = await this.inner.states(budgets, nowMs);
    // This replica's leases: the store counts each whole as reserved; what was really spent is not there yet.
    const byBudget = new Map(states.map((state) => [state.budgetId, state]));
    for (const pool of this.pools.values()) {
      for (const lease of [pool.current, ...pool.draining]) {
        if (lease === undefined || lease.settled) continue;
        for (const hold of lease.reservation.holds) {
          const state = byBudget.get(hold.budgetId);
          if (state === undefined || state.periodStart !== hold.periodStart) continue;
          state.spentMicros += lease.spentMicros;
          state.reservedMicros = Math.max(0, state.reservedMicros - lease.reservation.amountMicros + lease.lentMicros);
        }
      }
    }
    return states;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    // A lease still on its way would land after the store closed, its reservation never settled.
    await this.settled();
    const now = this.options.clock();
    const settling: Array<Promise<unknown>> = [];
    for (const pool of this.pools.values()) {
      for (const lease of [pool.current, ...pool.draining]) {
        if (lease === undefined || lease.settled) continue;
        // Requests still in flight at shutdown settle against a settled lease: their spend so far goes now.
        settling.push(this.settleLease(lease, now).then((crossings) => crossings.length > 0 && this.options.onCrossings(crossings, lease.budgets)));
      }
    }
    this.pools.clear();
    await Promise.allSettled(settling);
    await this.settled();
    await this.inner.close();
  }

  /** Resolves once every lease request, return or settlement this replica has sent is answered and applied. */
  settled(): Promise<void> {
    return this.pending.settled();
  }

  /** Requests share a pool when they reserve on the same budgets (at the same limits) in the same periods. */
  private poolKey(budgets: ReadonlyArray<BudgetDefinition>, nowMs: number): string {
    const known = this.keys.get(budgets);
    if (known !== undefined && nowMs >= known.from && nowMs < known.until) return known.key;
    let key = '';
    let from = Number.NEGATIVE_INFINITY;
    let until = Number.POSITIVE_INFINITY;
    for (const budget of budgets) {
      const period = periodBounds(budget.period, nowMs);
      key += `${budget.id}:${budget.limitMicros}:${period.start}|`;
      from = Math.max(from, period.start);
      until = Math.min(until, period.end);
    }
    this.keys.set(budgets, { key, from, until });
    return key;
  }

  /** Takes a fresh lease in the background when the current one is missing, ending or mostly lent out. */
  private renewIfDue(pool: Pool, key: string, budgets: ReadonlyArray<BudgetDefinition>, nowMs: number): void {
    if (pool.acquiring) return;
    const lease = pool.current;
    if (lease !== undefined) {
      const free = lease.reservation.amountMicros - lease.lentMicros - lease.spentMicros;
      if (lease.until - nowMs > this.leaseMs / 2 && free * 2 >= lease.reservation.amountMicros) return;
    }
    const elapsed = Math.max(1, nowMs - pool.observedSince);
    if (pool.demandCount < this.minimumReservations && elapsed < this.leaseMs) return;
    // Enough for two lease periods at the rate seen, so a lease rarely runs dry before the next arrives.
    const wanted = Math.ceil((pool.demandMicros / elapsed) * this.leaseMs * 2);
    const busy = (pool.demandCount * this.leaseMs) / elapsed >= this.minimumReservations;
    pool.demandMicros = 0;
    pool.demandCount = 0;
    pool.observedSince = nowMs;
    const cap = Math.floor(pool.headroomMicros * this.headroomShare);
    const amount = Math.min(wanted, cap);
    // Not busy, or too little headroom for a lease that serves several requests: reserve request by request.
    if (!busy || amount < pool.largestMicros * 4) return;
    pool.acquiring = true;
    this.pending.track(this.inner.reserve(budgets, amount, nowMs).then(
      (outcome) => {
        pool.acquiring = false;
        pool.headroomMicros = minimumHeadroom(outcome.states);
        if (!outcome.admitted) return;
        const fresh: Lease = { reservation: outcome.reservation, budgets, states: outcome.states, until: nowMs + this.leaseMs, lentMicros: 0, spentMicros: 0, inFlight: 0, retired: false, settled: false };
        // The pool may have been dropped meanwhile (a period ended): a lease nobody will use is given back.
        if (this.pools.get(key) !== pool) {
          this.retire(pool, fresh, this.options.clock());
          return;
        }
        const previous = pool.current;
        pool.current = fresh;
        if (previous !== undefined) this.retire(pool, previous, this.options.clock());
      },
      (error: Error) => {
        pool.acquiring = false;
        this.options.onError(error);
      },
    ));
  }

  /** Stops lending from a lease; settles it now, or when its last request settles. */
  private retire(pool: Pool, lease: Lease, nowMs: number): void {
    if (lease.retired) return;
    lease.retired = true;
    if (pool.current === lease) pool.current = undefined;
    if (lease.inFlight > 0) {
      pool.draining.add(lease);
      return;
    }
    this.pending.track(this.settleLease(lease, nowMs).then(
      (crossings) => crossings.length > 0 && this.options.onCrossings(crossings, lease.budgets),
      (error: Error) => this.options.onError(error),
    ));
  }

  private settleLease(lease: Lease, nowMs: number): Promise<ThresholdCrossing[]> {
    if (lease.settled) return Promise.resolve([]);
    lease.settled = true;
    return this.inner.settle(lease.reservation, lease.spentMicros, lease.budgets, nowMs);
  }

  /** Retires leases past their time and forgets idle pools. */
  private sweep(): void {
    const now = this.options.clock();
    for (const [key, pool] of this.pools) {
      if (pool.current !== undefined && now >= pool.current.until) this.retire(pool, pool.current, now);
      if (pool.current === undefined && pool.draining.size === 0 && !pool.acquiring && now - pool.lastUsed > idlePeriods * this.leaseMs) this.pools.delete(key);
    }
  }
}

/** The states as this replica knows them: as of the lease's grant, with its own lending and spend since. */
function leaseStates(lease: Lease): BudgetState[] {
  return lease.states.map((state) => ({
    ...state,
    spentMicros: state.spentMicros + lease.spentMicros,
    reservedMicros: state.reservedMicros - lease.reservation.amountMicros + lease.lentMicros,
  }));
}

function minimumHeadroom(states: ReadonlyArray<BudgetState>): number {
  let headroom = Number.POSITIVE_INFINITY;
  for (const state of states) headroom = Math.min(headroom, state.limitMicros - state.spentMicros - state.reservedMicros);
  return Number.isFinite(headroom) ? Math.max(0, headroom) : 0;
}
