import { describe, expect, it } from 'vitest';
import type { Deployment } from '../deployment.js';
import { seededRandom } from '../test-support/seeded-random.js';
import { pickLeastBusy, pickLowestCost, pickLowestLatency, pickRoundRobin, pickWeighted, routingStrategies, type StrategyState } from './index.js';

function deployment(id: string, extra: Partial<Deployment> = {}): Deployment {
  return { id, provider: 'p', model: id, weight: 1, ...extra };
}

function state(values: { inFlight?: Record<string, number>; latency?: Record<string, number> } = {}): StrategyState {
  let turn = 0;
  return {
    group: 'g',
    inFlight: (id) => values.inFlight?.[id] ?? 0,
    latencyMs: (id) => values.latency?.[id],
    nextTurn: () => turn++,
  };
}

function counts(picks: Deployment[]): Record<string, number> {
  const result: Record<string, number> = {};
  for (const pick of picks) result[pick.id] = (result[pick.id] ?? 0) + 1;
  return result;
}

describe('routing strategies', () => {
  it('has one implementation per strategy name', () => {
    expect(Object.keys(routingStrategies).sort()).toEqual(['least-busy', 'lowest-cost', 'lowest-latency', 'round-robin', 'weighted']);
  });

  it('weighted: shares follow the weights', () => {
    const candidates = [deployment('a', { weight: 1 }), deployment('b', { weight: 3 })];
    const random = seededRandom(42);
    const picks = Array.from({ length: 10_000 }, () => pickWeighted(candidates, state(), random));
    const result = counts(picks);
    expect(result.a / 10_000).toBeGreaterThan(0.22);
    expect(result.a / 10_000).toBeLessThan(0.28);
    expect(result.b / 10_000).toBeGreaterThan(0.72);
  });

  it('weighted: a zero weight is never chosen while another is positive, and uniform when all are zero', () => {
    const random = seededRandom(7);
    const mixed = [deployment('a', { weight: 0 }), deployment('b', { weight: 2 })];
    expect(new Set(Array.from({ length: 500 }, () => pickWeighted(mixed, state(), random).id))).toEqual(new Set(['b']));
    const zeros = [deployment('a', { weight: 0 }), deployment('b', { weight: 0 })];
    const result = counts(Array.from({ length: 2000 }, () => pickWeighted(zeros, state(), random)));
    expect(result.a).toBeGreaterThan(800);
    expect(result.b).toBeGreaterThan(800);
  });

  it('weighted: a random() of almost 1 still picks the last deployment', () => {
    const candidates = [deployment('a', { weight: 0.1 }), deployment('b', { weight: 0.2 })];
    expect(pickWeighted(candidates, state(), () => 0.9999999999999999).id).toBe('b');
  });

  it('round-robin: cycles in order', () => {
    const candidates = [deployment('a'), deployment('b'), deployment('c')];
    const shared = state();
    expect(Array.from({ length: 7 }, () => pickRoundRobin(candidates, shared).id)).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a']);
  });

  it('least-busy: the fewest in flight, ties broken among the tied only', () => {
    const candidates = [deployment('a'), deployment('b'), deployment('c')];
    expect(pickLeastBusy(candidates, state({ inFlight: { a: 3, b: 1, c: 2 } }), seededRandom(1)).id).toBe('b');
    const random = seededRandom(3);
    const tied = counts(Array.from({ length: 1000 }, () => pickLeastBusy(candidates, state({ inFlight: { a: 0, b: 5, c: 0 } }), random)));
    expect(tied.b).toBeUndefined();
    expect(tied.a).toBeGreaterThan(400);
    expect(tied.c).toBeGreaterThan(400);
  });

  it('lowest-latency: unmeasured deployments first, then the lowest average', () => {
    const candidates = [deployment('a'), deployment('b'), deployment('c')];
    expect(pickLowestLatency(candidates, state({ latency: { a: 100, c: 50 } }), seededRandom(1)).id).toBe('b');
    expect(pickLowestLatency(candidates, state({ latency: { a: 100, b: 20, c: 50 } }), seededRandom(1)).id).toBe('b');
    expect(pickLowestLatency(candidates, state({ latency: { a: 10, b: 20, c: 50 } }), seededRandom(1)).id).toBe('a');
  });

  it('lowest-cost: the cheapest known price; unknown prices only when none is known', () => {
    const random = seededRandom(5);
    const candidates = [deployment('a', { costPerMillionTokens: 3 }), deployment('b'), deployment('c', { costPerMillionTokens: 1.5 })];
    expect(new Set(Array.from({ length: 200 }, () => pickLowestCost(candidates, state(), random).id))).toEqual(new Set(['c']));
    const unknown = [deployment('x', { weight: 1 }), deployment('y', { weight: 9 })];
    const result = counts(Array.from({ length: 2000 }, () => pickLowestCost(unknown, state(), random)));
    expect(result.y / 2000).toBeGreaterThan(0.85);
    expect(result.x).toBeGreaterThan(100);
  });

  it('lowest-cost: ties between equal prices are split by weight', () => {
    const random = seededRandom(9);
    const candidates = [deployment('a', { costPerMillionTokens: 1, weight: 1 }), deployment('b', { costPerMillionTokens: 1, weight: 1 }), deployment('c', { costPerMillionTokens: 2 })];
    const result = counts(Array.from({ length: 1000 }, () => pickLowestCost(candidates, state(), random)));
    expect(result.c).toBeUndefined();
    expect(result.a).toBeGreaterThan(400);
    expect(result.b).toBeGreaterThan(400);
  });
});
