import { randomUUID } from 'node:crypto';
import type { ConcurrencyDecision } from './rate-limiter.js';

/**
 * Concurrency slots held in process: per counter, the leases in flight and when each expires. A lease whose
 * holder never released it stops counting at its expiry.
 */
export class MemoryConcurrencySlots {
  /** counter -> lease id -> expiry (epoch ms). */
  private readonly slots = new Map<string, Map<string, number>>();

  acquire(counter: string, limit: number, leaseMs: number, nowMs: number): ConcurrencyDecision {
    let leases = this.slots.get(counter);
    if (leases !== undefined) this.dropExpired(counter, leases, nowMs);
    leases = this.slots.get(counter);
    const held = leases?.size ?? 0;
    if (held >= limit) return { allowed: false, inFlight: held };
    if (leases === undefined) {
      leases = new Map();
      this.slots.set(counter, leases);
    }
    const leaseId = randomUUID();
    leases.set(leaseId, nowMs + leaseMs);
    return {
      allowed: true,
      inFlight: leases.size,
      lease: { release: async () => this.release(counter, leaseId) },
    };
  }

  /** Drops expired leases everywhere and forgets counters with none left. */
  sweep(nowMs: number): void {
    for (const [counter, leases] of this.slots) this.dropExpired(counter, leases, nowMs);
  }

  /** Counters with at least one lease held. */
  get size(): number {
    return this.slots.size;
  }

  // Deleting by lease id makes a second release a no-op and can never free another holder's slot.
  private release(counter: string, leaseId: string): void {
    const leases = this.slots.get(counter);
    if (leases === undefined) return;
    leases.delete(leaseId);
    if (leases.size === 0) this.slots.delete(counter);
  }

  private dropExpired(counter: string, leases: Map<string, number>, nowMs: number): void {
    for (const [leaseId, expiresAtMs] of leases) {
      if (expiresAtMs <= nowMs) leases.delete(leaseId);
    }
    if (leases.size === 0) this.slots.delete(counter);
  }
}
