/**
 * A fixed log-scale histogram of durations, for percentiles without keeping samples: bin `i` holds
 * durations up to `growth^i` ms, so a percentile read from it is at most 20 % above the true value. 100 bins
 * reach 1.2^99 ms (about 2 days), longer durations count in the last bin.
 */
export const histogramBins = 100;
const growth = 1.2;
const logGrowth = Math.log(growth);

/** The bin a duration falls in (computed once per request, shared by every window it is added to). */
export function histogramBinOf(durationMs: number): number {
  if (!(durationMs > 1)) return 0;
  return Math.min(histogramBins - 1, Math.ceil(Math.log(durationMs) / logGrowth));
}

/** The upper bound of a bin, ms. */
export function histogramBinUpperBound(bin: number): number {
  return bin === 0 ? 1 : growth ** bin;
}

/** The `quantile` (0..1) of the counts summed over `histograms`, as the upper bound of its bin; undefined when empty. */
export function histogramQuantile(histograms: ReadonlyArray<Uint32Array>, quantile: number): number | undefined {
  let total = 0;
  for (const histogram of histograms) for (let bin = 0; bin < histogramBins; bin += 1) total += histogram[bin];
  if (total === 0) return undefined;
  const rank = Math.ceil(quantile * total);
  let seen = 0;
  for (let bin = 0; bin < histogramBins; bin += 1) {
    for (const histogram of histograms) seen += histogram[bin];
    if (seen >= rank) return histogramBinUpperBound(bin);
  }
  return histogramBinUpperBound(histogramBins - 1);
}
