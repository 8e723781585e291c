/** The parameters of a {@link DriftDetector} (the `drift` detector setting). */
export interface DriftParameters {
  /** Subtracted from every standardised residual: half the smallest sustained shift (in deviations) to catch. */
  slack: number;
  /** The statistic raises at this value. With `slack`, it sets the in-control run length (see below). */
  limit: number;
  /** Each residual counts at most this much, so one wild bucket cannot raise it alone. */
  clip: number;
}

/** What the detector concluded after one bucket. */
export interface DriftState {
  /** The CUSUM statistic (0 while nothing accumulates). */
  statistic: number;
  /** Over the limit. */
  drifting: boolean;
  /** Mean raw residual (model scale) of the buckets since the statistic last left 0: the size of the shift. */
  shift: number;
}

/**
 * Page's one-sided CUSUM over standardised residuals: S = max(0, S + min(z, clip) - slack), raising at
 * `limit`. It catches a sustained rise too small for one bucket's band (a slow leak) and, on residuals that
 * are standard normal while nothing is wrong, its false-alarm rate follows from `slack` and `limit`
 * ({@link cusumRunLength}). Alongside it keeps the mean residual since the statistic last left 0, the
 * estimate of how large the shift is, so a caller can ignore shifts too small to matter.
 */
export class DriftDetector {
  readonly #parameters: DriftParameters;
  #statistic = 0;
  #runResidual = 0;
  #runLength = 0;

  constructor(parameters: DriftParameters) {
    this.#parameters = parameters;
  }

  get statistic(): number {
    return this.#statistic;
  }

  /** Adds one bucket: its standardised residual `score` and its raw residual on the model scale. */
  update(score: number, residual: number): DriftState {
    const { slack, limit, clip } = this.#parameters;
    const next = this.#statistic + Math.min(score, clip) - slack;
    if (next <= 0) {
      this.#statistic = 0;
      this.#runResidual = 0;
      this.#runLength = 0;
    } else {
      // Capped, so that after a long rise it comes back under the limit soon after the rise ends.
      this.#statistic = Math.min(2 * limit, next);
      this.#runResidual += residual;
      this.#runLength += 1;
    }
    const shift = this.#runLength === 0 ? 0 : this.#runResidual / this.#runLength;
    return { statistic: this.#statistic, drifting: this.#statistic >= limit, shift };
  }

  reset(): void {
    this.#statistic = 0;
    this.#runResidual = 0;
    this.#runLength = 0;
  }
}

/**
 * Siegmund's approximation of a one-sided CUSUM's average run length, in buckets, when the standardised
 * residuals have mean `mean` and unit variance: `mean` 0 gives the in-control run length (buckets between
 * false alarms of one series), a positive mean the expected delay to detect a shift of that many deviations.
 */
export function cusumRunLength(parameters: Pick<DriftParameters, 'slack' | 'limit'>, mean = 0): number {
  const drift = mean - parameters.slack;
  // The 1.166 corrects for the overshoot of the limit by the last step (Siegmund 1985).
  const boundary = parameters.limit + 1.166;
  if (Math.abs(drift) < 1e-9) return boundary * boundary;
  return (Math.exp(-2 * drift * boundary) + 2 * drift * boundary - 1) / (2 * drift * drift);
}
