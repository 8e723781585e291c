/**
 * A seasonal baseline: the expected value and robust spread of a series for each hour of the week (168 slots,
 * UTC), so a Monday-morning peak and a Sunday-night trough each have their own normal. Between slot centres
 * the expectation is interpolated linearly, so a daily ramp does not look like a step every hour.
 */
export interface SeriesBaseline {
  /** Expected value per hour-of-week slot (slot 0: Monday 00:00-01:00 UTC). */
  centers: number[];
  /** Robust standard deviation per slot (1.4826 x the median absolute deviation around the expectation). */
  scales: number[];
  /**
   * For averages (latency, TTFT): the robust spread of one request's contribution per slot, i.e. of the
   * residual times the square root of the bucket's requests. A bucket's own spread is this over the square
   * root of its requests, so a bucket of 8 requests is judged as the weak evidence it is and one of 60 as the
   * strong evidence it is; the slot's spread alone judges both by the slot's typical count, which gives the
   * standardised residuals heavy tails. Absent in models of format 1 and for counting series.
   */
  perRequestScales?: number[];
}

export const slotsPerWeek = 168;
const hourMs = 3_600_000;
const weekMs = 7 * 24 * hourMs;
/** 1970-01-01 was a Thursday: shift so that slot 0 starts on a Monday. */
const mondayOffsetMs = 4 * 24 * hourMs;
/** Consistency constant: MAD x 1.4826 estimates the standard deviation of normal data. */
const madToDeviation = 1.4826;
/** Mean absolute deviation x 1.2533 estimates the standard deviation of normal data. */
const meanAbsoluteToDeviation = 1.2533;

/** The two slots a time falls between and the weight of each (they sum to 1). */
export function slotWeightsAt(timeMs: number): { lower: number; upper: number; upperWeight: number } {
  const inWeek = (((timeMs + mondayOffsetMs) % weekMs) + weekMs) % weekMs;
  // Slot centres sit at half past each hour.
  const position = inWeek / hourMs - 0.5;
  const lowerIndex = Math.floor(position);
  const upperWeight = position - lowerIndex;
  return { lower: (lowerIndex + slotsPerWeek) % slotsPerWeek, upper: (lowerIndex + 1) % slotsPerWeek, upperWeight };
}

/** The hour-of-week slot a time belongs to. */
export function slotAt(timeMs: number): number {
  const inWeek = (((timeMs + mondayOffsetMs) % weekMs) + weekMs) % weekMs;
  return Math.floor(inWeek / hourMs);
}

/** The expected value and spread at a time. */
export function expectationAt(baseline: SeriesBaseline, timeMs: number): { center: number; scale: number } {
  const { lower, upper, upperWeight } = slotWeightsAt(timeMs);
  return {
    center: baseline.centers[lower] * (1 - upperWeight) + baseline.centers[upper] * upperWeight,
    scale: baseline.scales[lower] * (1 - upperWeight) + baseline.scales[upper] * upperWeight,
  };
}

export function mean(values: number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Robust per-slot statistics with fallbacks: a slot with fewer than `minimumPerSlot` values takes the
 * statistic of its hour of day over all weekdays, and failing that the series' overall one. `valueOf` maps a
 * group of values to the statistic (a median, a MAD).
 */
function perSlot(values: Array<{ slot: number; value: number }>, minimumPerSlot: number, statistic: (group: number[]) => number): number[] {
  const bySlot: number[][] = Array.from({ length: slotsPerWeek }, () => []);
  const byHour: number[][] = Array.from({ length: 24 }, () => []);
  for (const { slot, value } of values) {
    bySlot[slot].push(value);
    byHour[slot % 24].push(value);
  }
  const overall = statistic(values.map((each) => each.value));
  return bySlot.map((group, slot) => {
    if (group.length >= minimumPerSlot) return statistic(group);
    const hour = byHour[slot % 24];
    return hour.length >= minimumPerSlot ? statistic(hour) : overall;
  });
}

/**
 * Fits a baseline to a series' history: per-slot medians, then per-slot MADs of the residuals around the
 * interpolated expectation (two passes, so the within-hour ramp does not inflate the spread). Medians keep a
 * past incident in the history from shifting the normal much. Error rates take the mean instead: most buckets
 * have no error at all, so their median says nothing about the rate.
 */
export function fitBaseline(points: ReadonlyArray<{ bucketStart: number; value: number; samples?: number }>, minimumPerSlot: number, center: 'median' | 'mean' = 'median', options: { perRequest?: boolean } = {}): SeriesBaseline {
  const slotted = points.map((point) => ({ slot: slotAt(point.bucketStart), value: point.value }));
  const centers = perSlot(slotted, minimumPerSlot, center === 'median' ? median : mean);
  const provisional: SeriesBaseline = { centers, scales: new Array(slotsPerWeek).fill(0) };
  const residuals = points.map((point) => ({ slot: slotAt(point.bucketStart), value: Math.abs(point.value - expectationAt(provisional, point.bucketStart).center), samples: point.samples ?? 1 }));
  const scales = perSlot(residuals, minimumPerSlot, (group) => madToDeviation * median(group));
  if (options.perRequest !== true) return { centers, scales };
  const scaled = residuals.map((residual) => ({ slot: residual.slot, value: residual.value * Math.sqrt(Math.max(residual.samples, 1)) }));
  return { centers, scales, perRequestScales: perSlot(scaled, minimumPerSlot, (group) => madToDeviation * median(group)) };
}

/** The spread of one request's contribution at a time (see {@link SeriesBaseline.perRequestScales}), if known. */
export function perRequestScaleAt(baseline: SeriesBaseline, timeMs: number): number | undefined {
  if (baseline.perRequestScales === undefined) return undefined;
  const { lower, upper, upperWeight } = slotWeightsAt(timeMs);
  const scale = baseline.perRequestScales[lower] * (1 - upperWeight) + baseline.perRequestScales[upper] * upperWeight;
  return Number.isFinite(scale) && scale > 0 ? scale : undefined;
}

/**
 * Moves the baseline toward a value judged normal (exponentially weighted, rate `rate`), so it follows slow
 * changes in traffic. The residual is clipped to `clip` deviations so one odd bucket moves it little.
 */
export function adaptBaseline(baseline: SeriesBaseline, timeMs: number, value: number, rate: number, clip: number, minimumScale: number, samples = 1): void {
  const { lower, upper, upperWeight } = slotWeightsAt(timeMs);
  const { center, scale } = expectationAt(baseline, timeMs);
  const spread = Math.max(scale, minimumScale);
  const residual = Math.max(-clip * spread, Math.min(clip * spread, value - center));
  const observedDeviation = meanAbsoluteToDeviation * Math.abs(residual);
  const perRequest = baseline.perRequestScales;
  const root = Math.sqrt(Math.max(samples, 1));
  for (const [slot, weight] of [[lower, 1 - upperWeight], [upper, upperWeight]] as const) {
    if (weight === 0) continue;
    baseline.centers[slot] += rate * weight * residual;
    baseline.scales[slot] += rate * weight * (observedDeviation - baseline.scales[slot]);
    if (perRequest !== undefined) {
      // A slot first learned online starts from this bucket's own figure.
      const observed = observedDeviation * root;
      perRequest[slot] = Number.isFinite(perRequest[slot]) ? perRequest[slot] + rate * weight * (observed - perRequest[slot]) : Math.max(observed, minimumScale * root);
    }
  }
}

/**
 * A flat baseline (a series first seen after training), to be refined online. With `perRequest` its
 * per-request spreads start unknown and are learned from the buckets it adapts to.
 */
export function flatBaseline(value: number, scale: number, options: { perRequest?: boolean } = {}): SeriesBaseline {
  const flat: SeriesBaseline = { centers: new Array(slotsPerWeek).fill(value), scales: new Array(slotsPerWeek).fill(scale) };
  if (options.perRequest === true) flat.perRequestScales = new Array(slotsPerWeek).fill(Number.NaN);
  return flat;
}
