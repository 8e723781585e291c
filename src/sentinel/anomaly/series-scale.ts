import type { SeriesMetric } from './series.js';

/**
 * Where each metric is judged. Latencies and counting series (spend, tokens, requests) are modelled on a log
 * scale: their seasonality is multiplicative (a peak doubles traffic, it does not add a fixed amount), and
 * their noise is skewed to the right (a few long requests, a few huge prompts), which the log makes roughly
 * symmetric so that a robust spread describes the upper tail too. Error rates stay as they are; they are
 * judged as counts (see {@link errorTailProbability}).
 */
export function toModelScale(metric: SeriesMetric, value: number): number {
  if (metric === 'error_rate') return value;
  if (metric === 'latency' || metric === 'time_to_first_token') return Math.log(Math.max(value, 1));
  return Math.log1p(Math.max(value, 0));
}

/** The inverse of {@link toModelScale}. */
export function fromModelScale(metric: SeriesMetric, value: number): number {
  if (metric === 'error_rate') return value;
  if (metric === 'latency' || metric === 'time_to_first_token') return Math.exp(value);
  return Math.expm1(value);
}

/**
 * P(X >= observed) for a Poisson count with mean `expected`: how surprising a bucket's error count is given
 * the normal error rate and the bucket's requests. One error in ten requests is a 10 % error rate but no
 * evidence at all; thirty in a hundred is.
 */
export function errorTailProbability(observed: number, expected: number): number {
  if (observed <= 0) return 1;
  const mean = Math.max(expected, 1e-9);
  if (mean > 100) {
    // Normal approximation with continuity correction, for busy buckets.
    const z = (observed - 0.5 - mean) / Math.sqrt(mean);
    return 0.5 * erfc(z / Math.SQRT2);
  }
  let term = Math.exp(-mean);
  let below = 0;
  for (let count = 0; count < observed; count += 1) {
    below += term;
    term *= mean / (count + 1);
  }
  return Math.max(0, 1 - below);
}

/** The standard-normal score with the same upper-tail probability (for evidence and the CUSUM). */
export function scoreOfTailProbability(probability: number): number {
  const clipped = Math.min(Math.max(probability, 1e-15), 0.5);
  // Acklam-style rational approximation of the inverse normal tail, good to about 1e-3 here.
  const t = Math.sqrt(-2 * Math.log(clipped));
  return t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
}

function erfc(value: number): number {
  // Numerical Recipes' erfc approximation (fractional error below 1.2e-7).
  const z = Math.abs(value);
  const t = 1 / (1 + 0.5 * z);
  const result = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return value >= 0 ? result : 2 - result;
}
