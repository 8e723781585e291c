import type { Percentiles } from './analytics-types.js';

/** A measured value and how many requests it stands for (a sample row of a busy bucket stands for several). */
export interface WeightedValue {
  value: number;
  weight: number;
}

/**
 * p50, p95 and p99 of weighted values (nearest rank on the cumulative weight). With every weight 1 this is
 * the usual nearest-rank percentile of the values.
 */
export function weightedPercentiles(values: WeightedValue[]): Percentiles {
  if (values.length === 0) return { p50: null, p95: null, p99: null };
  const sorted = [...values].sort((left, right) => left.value - right.value);
  const total = sorted.reduce((sum, entry) => sum + entry.weight, 0);
  const at = (fraction: number): number => {
    const rank = fraction * total;
    let cumulative = 0;
    for (const entry of sorted) {
      cumulative += entry.weight;
      if (cumulative >= rank - 1e-9) return entry.value;
    }
    return sorted[sorted.length - 1].value;
  };
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}
