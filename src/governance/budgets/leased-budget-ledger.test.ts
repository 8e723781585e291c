import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BudgetDefinition, BudgetLedger, BudgetReservation, ThresholdCrossing } from './budget-ledger.js';
import { budget, describeBudgetLedgerContract } from './budget-ledger-contract.js';
import { LeasedBudgetLedger } from './leased-budget-ledger.js';
import { MemoryBudgetLedger } from './memory-budget-ledger.js';

// Two replicas, each with its leases, over one shared ledger (in process, the shared store of the scaled preset).
describeBudgetLedgerContract('leased, over memory', async (options) => {
  const shared = new MemoryBudgetLedger(options);
  const settings = { clock: () => Date.now(), onCrossings: () => undefined, onError: () => undefined };
  const ledger = new LeasedBudgetLedger(shared, settings);
  const peer = new LeasedBudgetLedger(shared, settings);
  return { ledger, peer, dispose: async () => { await ledger.close(); await peer.close(); } };
});

/** Counts the shared ledger's calls: a lease is worth having only if it takes requests off the shared store. */
class CountingLedger implements BudgetLedger {
  reserves = 0;
  /** When set, reservations larger than one request's (the replicas' leases) answer only once it resolves. */
  holdLeases: { above: number; until: Promise<void>; held: number } | undefined;
  constructor(private readonly inner: BudgetLedger) {}
  async reserve(...args: Parameters<BudgetLedger['reserve']>) {
    this.reserves += 1;
    const outcome = await this.inner.reserve(...args);
    const hold = this.holdLeases;
    if (hold !== undefined && args[1] > hold.above) {
      hold.held += 1;
      await hold.until;
    }
    return outcome;
  }
  settle(...args: Parameters<BudgetLedger['settle']>) {
    return this.inner.settle(...args);
  }
  states(...args: Parameters<BudgetLedger['states']>) {
    return this.inner.states(...args);
  }
  /** The shared store outlives any one replica, as Redis does: a replica closing leaves it open. */
  async close() {}
}

/** One replica's connection to the shared ledger: like a Redis client, it refuses every call once closed. */
class Connection implements BudgetLedger {
  private closed = false;
  constructor(private readonly shared: BudgetLedger) {}
  reserve(...args: Parameters<BudgetLedger['reserve']>) {
    return this.open().reserve(...args);
  }
  settle(...args: Parameters<BudgetLedger['settle']>) {
    return this.open().settle(...args);
  }
  states(...args: Parameters<BudgetLedger['states']>) {
    return this.open().states(...args);
  }
  async close() {
    this.closed = true;
  }
  private open(): BudgetLedger {
    if (this.closed) throw new Error('Connection is closed.');
    return this.shared;
  }
}

describe('LeasedBudgetLedger', () => {
  const start = Date.UTC(2030, 3, 16, 10);
  const leaseMs = 250;
  let clock = start;
  let crossings: ThresholdCrossing[];
  let shared: CountingLedger;
  let replicas: LeasedBudgetLedger[];

  beforeEach(() => {
    // Only the sweep's interval is faked: the ledgers' promises and the test's turns run as usual.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    clock = start;
    crossings = [];
    shared = new CountingLedger(new MemoryBudgetLedger({}));
    const settings = { leaseMs, clock: () => clock, onCrossings: (crossed: ThresholdCrossing[]) => crossings.push(...crossed), onError: (error: Error) => { throw error; } };
    replicas = [new LeasedBudgetLedger(new Connection(shared), settings), new LeasedBudgetLedger(new Connection(shared), settings)];
  });
  afterEach(async () => {
    for (const replica of replicas) await replica.close();
    vi.useRealTimers();
  });

  /** One request on a replica: reserve, then settle at `cost`; at most one millisecond passes per request. */
  async function request(replica: LeasedBudgetLedger, budgets: BudgetDefinition[], reserveMicros: number, costMicros: number): Promise<boolean> {
    clock += 1;
    const outcome = await replica.reserve(budgets, reserveMicros, clock);
    if (!outcome.admitted) return false;
    // The lease, when one is taken, arrives after the turn that asked for it.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await replica.settle(outcome.reservation, costMicros, budgets, clock);
    return true;
  }

  /** Lets every lease end and be settled, as the sweep does once a lease period has passed. */
  async function endLeases(): Promise<void> {
    // A lease asked for by the last requests may still be on its way: the sweep must see it installed.
    await Promise.all(replicas.map((replica) => replica.settled()));
    clock += leaseMs + 1;
    vi.advanceTimersByTime(leaseMs);
    await Promise.all(replicas.map((replica) => replica.settled()));
  }

  it('serves busy traffic from leases: most reservations never reach the shared ledger, and every cost is counted', async () => {
    const roomy = budget({ limitMicros: 1_000_000_000 });
    for (let index = 0; index < 400; index += 1) await request(replicas[index % 2]!, [roomy], 1_000, 700);
    expect(shared.reserves).toBeLessThan(100);
    // Each replica reads its own spend at once; the other's arrives when its lease settles.
    const [own] = await replicas[0]!.states([roomy], clock);
    expect(own!.spentMicros).toBeGreaterThanOrEqual(200 * 700);
    await endLeases();
    expect(await shared.states([roomy], clock)).toMatchObject([{ spentMicros: 400 * 700, reservedMicros: 0 }]);
  });

  it('never lets reservations pass the limit across two replicas, and leaves no headroom stranded once leases end', async () => {
    // Room for exactly 2,000 requests of 1,000 each.
    const limited = budget({ limitMicros: 2_000_000 });
    let admitted = 0;
    for (let index = 0; index < 3_000; index += 1) {
      if (await request(replicas[index % 2]!, [limited], 1_000, 1_000)) admitted += 1;
      const [state] = await shared.states([limited], clock);
      expect(state!.spentMicros + state!.reservedMicros).toBeLessThanOrEqual(2_000_000);
    }
    await endLeases();
    // What leases held back when the limit was near is free again: the rest goes request by request.
    for (let index = 0; index < 100; index += 1) if (await request(replicas[index % 2]!, [limited], 1_000, 1_000)) admitted += 1;
    await endLeases();
    expect(admitted).toBe(2_000);
    expect(await shared.states([limited], clock)).toMatchObject([{ spentMicros: 2_000_000, reservedMicros: 0 }]);
  });

  it('keeps the overspend bound: spend passes the limit only by what requests cost beyond their reservations', async () => {
    const limited = budget({ limitMicros: 1_000_000 });
    for (let index = 0; index < 2_000; index += 1) await request(replicas[index % 2]!, [limited], 1_000, 1_000 + (index % 3));
    await endLeases();
    for (let index = 0; index < 10; index += 1) await request(replicas[index % 2]!, [limited], 1_000, 1_000 + (index % 3));
    await endLeases();
    const [state] = await shared.states([limited], clock);
    // At most one request in flight at a time here: its excess (at most 2) is all that may lie above the limit.
    expect(state!.spentMicros).toBeGreaterThan(1_000_000 - 1_000);
    expect(state!.spentMicros).toBeLessThanOrEqual(1_000_000 + 2);
  });

  it('reports a threshold crossed when a lease is settled in the background', async () => {
    const watched = budget({ limitMicros: 10_000_000, thresholds: [1] });
    const reported: number[] = [];
    for (let index = 0; index < 200; index += 1) {
      clock += 1;
      const outcome = await replicas[0]!.reserve([watched], 1_000, clock);
      if (!outcome.admitted) throw new Error('refused');
      await new Promise<void>((resolve) => setImmediate(resolve));
      reported.push(...(await replicas[0]!.settle(outcome.reservation, 1_000, [watched], clock)).map((crossing) => crossing.threshold));
    }
    await endLeases();
    // 1 % of 10 dollars is 100,000 micro-dollars: crossed by the 100th request, reported once, by one path.
    expect([...reported, ...crossings.map((crossing) => crossing.threshold)]).toEqual([1]);
  });

  it('settles a lease only after the last request it served has settled', async () => {
    const roomy = budget({ limitMicros: 1_000_000_000 });
    for (let index = 0; index < 100; index += 1) await request(replicas[0]!, [roomy], 1_000, 500);
    clock += 1;
    const outcome = await replicas[0]!.reserve([roomy], 1_000, clock);
    const open: BudgetReservation = outcome.admitted ? outcome.reservation : expect.unreachable();
    await endLeases();
    // The store still holds the open request's lease; its cost arrives with the lease once it settles.
    expect((await shared.states([roomy], clock))[0]!.reservedMicros).toBeGreaterThan(0);
    await replicas[0]!.settle(open, 900, [roomy], clock);
    expect(await shared.states([roomy], clock)).toMatchObject([{ spentMicros: 100 * 500 + 900, reservedMicros: 0 }]);
  });

  it('starts a fresh lease pool when a period ends, so spend lands in the period it was reserved in', async () => {
    const daily = [budget({ period: 'day', limitMicros: 1_000_000_000 })];
    const midnight = Date.UTC(2030, 3, 17);
    clock = midnight - 150;
    // The same list throughout, as the governor passes it: 100 requests before midnight, 100 after.
    for (let index = 0; index < 200; index += 1) {
      if (index === 100) clock = midnight;
      await request(replicas[index % 2]!, daily, 1_000, 700);
    }
    await endLeases();
    expect(await shared.states(daily, midnight - 1)).toMatchObject([{ spentMicros: 100 * 700, reservedMicros: 0 }]);
    expect(await shared.states(daily, clock)).toMatchObject([{ spentMicros: 100 * 700, reservedMicros: 0 }]);
  });

  it('waits for a lease still on its way when it closes, and gives its headroom back', async () => {
    const roomy = budget({ limitMicros: 1_000_000_000 });
    let release!: () => void;
    const hold = { above: 1_000, until: new Promise<void>((resolve) => (release = resolve)), held: 0 };
    shared.holdLeases = hold;
    let spent = 0;
    // Requests reserve one by one on the shared ledger until the replica asks it for a lease, which is held.
    while (hold.held === 0) {
      clock += 1;
      const outcome = await replicas[0]!.reserve([roomy], 1_000, clock);
      if (!outcome.admitted) throw new Error('A roomy budget refused a request.');
      await replicas[0]!.settle(outcome.reservation, 700, [roomy], clock);
      spent += 700;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const closing = replicas[0]!.close();
    release();
    await closing;
    const [state] = await shared.states([roomy], clock);
    expect(state!.reservedMicros).toBe(0);
    expect(state!.spentMicros).toBe(spent);
  });
});
