import { minimumDeviationOf, type DetectorSettings } from './detector-settings.js';
import { DriftDetector } from './drift-detector.js';
import { adaptBaseline, expectationAt, flatBaseline, perRequestScaleAt, type SeriesBaseline } from './seasonal-baseline.js';
import { errorTailProbability, fromModelScale, scoreOfTailProbability, toModelScale } from './series-scale.js';
import { countingMetrics, type SeriesMetric, type SeriesPoint } from './series.js';

/** Series that are averages over a bucket's requests (their standard error shrinks with more requests). */
const averagedMetrics: ReadonlySet<SeriesMetric> = new Set(['latency', 'time_to_first_token']);

/** What a detector concluded about one bucket (values in the metric's own unit). */
export interface BucketVerdict {
  value: number;
  /** The expectation and the band a normal bucket stays within at this time. */
  baseline: number;
  lower: number;
  upper: number;
  /** Standardised residual (for error rates: the normal score of the count's tail probability). */
  score: number;
  /**
   * The residual the drift detector standardises by the bucket's own requests (see
   * `SeriesBaseline.perRequestScales`); the same as `score` where that spread is not known.
   */
  driftScore: number;
  /** This bucket alone is out of the band (and far enough above the baseline to matter). */
  out: boolean;
  /** The series is anomalous as of this bucket (persistence or CUSUM), until it clears. */
  anomalous: boolean;
  /** What raised it: `persistence` (k of n out), `drift` (CUSUM), or undefined while normal. */
  reason?: 'persistence' | 'drift';
}

/** The error rate assumed when the history shows none (no deployment is perfect forever). */
const minimumErrorRate = 0.001;

/**
 * Watches one series: a seasonal baseline that adapts to normal buckets, a k-of-n persistence rule over
 * out-of-band buckets, and (for the drift metrics) a one-sided CUSUM for small sustained rises, on residuals
 * standardised by each bucket's own request count where the model knows the per-request spread. Only rises
 * are judged. The baseline does not learn from buckets that are out or while the series is anomalous, so an
 * incident is not absorbed into the normal.
 */
export class SeriesDetector {
  readonly baseline: SeriesBaseline;
  readonly #metric: SeriesMetric;
  readonly #settings: DetectorSettings;
  readonly #recent: boolean[] = [];
  readonly #drift: DriftDetector;
  /** The previous bucket's errors and requests (error series pool two buckets; see `#judge`). */
  #previousErrors = { errors: 0, samples: 0 };
  #warmup: number;
  #anomalous = false;
  #normalRun = 0;
  #reason: BucketVerdict['reason'];

  /** `baseline` from a trained model; undefined for a series first seen now (it warms up before judging). */
  constructor(metric: SeriesMetric, settings: DetectorSettings, baseline?: SeriesBaseline) {
    this.#metric = metric;
    this.#settings = settings;
    // A new error series (a deployment or an error code first seen now) starts from "no errors": the count test
    // needs no warm-up, and a code that appears out of nowhere is exactly what should stand out.
    const fresh = metric === 'error_rate' ? flatBaseline(0, 0) : flatBaseline(Number.NaN, 0, { perRequest: averagedMetrics.has(metric) });
    this.baseline = baseline === undefined ? fresh : structuredClone(baseline);
    this.#drift = new DriftDetector(settings.cusum);
    this.#warmup = baseline === undefined && metric !== 'error_rate' ? settings.warmupBuckets : 0;
  }

  get anomalous(): boolean {
    return this.#anomalous;
  }

  /** Judges one bucket; undefined when it is too thin to judge (an average over too few requests). */
  observe(point: SeriesPoint): BucketVerdict | undefined {
    const settings = this.#settings;
    if (!countingMetrics.has(this.#metric) && point.samples < settings.minimumSamples) return undefined;
    const modelled = toModelScale(this.#metric, point.value);
    if (Number.isNaN(this.baseline.centers[0])) {
      const start = flatBaseline(modelled, this.#minimumScaleAt(modelled));
      this.baseline.centers.splice(0, start.centers.length, ...start.centers);
      this.baseline.scales.splice(0, start.scales.length, ...start.scales);
    }
    const judged = this.#judge(point, modelled);

    if (this.#warmup > 0) {
      this.#warmup -= 1;
      // Learn fast while warming up: the flat start knows nothing of the series yet.
      adaptBaseline(this.baseline, point.bucketStart, modelled, 0.2, 3, judged.minimumScale, point.samples);
      return { ...judged.verdict, out: false, anomalous: false };
    }

    const { out, score } = judged;
    this.#recent.push(out);
    if (this.#recent.length > settings.persistence.window) this.#recent.shift();
    const watchesDrift = settings.driftMetrics.includes(this.#metric);
    const drift = watchesDrift ? this.#drift.update(judged.verdict.driftScore, judged.residual) : undefined;
    const persistent = this.#recent.filter(Boolean).length >= settings.persistence.required;
    // The shift the CUSUM has seen must itself be large enough to matter (the metric's minimum effect): a
    // statistically certain +3 % on a busy deployment is not an incident.
    const drifting = drift !== undefined && drift.drifting && this.#matters(judged.center, drift.shift);

    if (persistent || drifting) {
      if (!this.#anomalous) this.#reason = persistent ? 'persistence' : 'drift';
      this.#anomalous = true;
      this.#normalRun = 0;
    } else if (this.#anomalous) {
      // Clearing needs buckets well inside the band (below half the threshold), not merely under its edge:
      // a fault that keeps a series just under the threshold is still going on.
      const calm = score < settings.threshold / 2 && this.#drift.statistic < settings.cusum.limit;
      this.#normalRun = calm ? this.#normalRun + 1 : 0;
      if (this.#normalRun >= settings.clearAfterBuckets) {
        this.#anomalous = false;
        this.#reason = undefined;
        this.#recent.length = 0;
        this.#drift.reset();
      }
    }
    if (!this.#anomalous && !out) adaptBaseline(this.baseline, point.bucketStart, modelled, settings.adaptRate, 3, judged.minimumScale, point.samples);
    return { ...judged.verdict, out, anomalous: this.#anomalous, ...(this.#anomalous ? { reason: this.#reason } : {}) };
  }

  /** The expectation and the band's upper edge at a time, in the metric's unit. */
  expectation(timeMs: number): { baseline: number; upper: number } {
    const { center, scale } = expectationAt(this.baseline, timeMs);
    const spread = Math.max(scale, this.#minimumScaleAt(center));
    const baseline = fromModelScale(this.#metric, center);
    return { baseline, upper: Math.max(fromModelScale(this.#metric, center + this.#settings.threshold * spread), baseline + this.#floorAt(baseline)) };
  }

  #judge(point: SeriesPoint, modelled: number): { verdict: Omit<BucketVerdict, 'out' | 'anomalous'>; out: boolean; score: number; minimumScale: number; center: number; residual: number } {
    const settings = this.#settings;
    const { center, scale } = expectationAt(this.baseline, point.bucketStart);
    const minimumScale = this.#minimumScaleAt(center);
    const baseline = fromModelScale(this.#metric, center);
    const floor = this.#floorAt(baseline);
    // Spend and tokens of a key that sends a request now and then are all-or-nothing per bucket (nothing,
    // then one request's worth): they count as out only in a bucket with enough requests to be evidence.
    const enoughRequests = (this.#metric !== 'spend_rate' && this.#metric !== 'token_rate') || point.samples >= settings.minimumSamples;
    const bigEnough = enoughRequests && point.value - baseline >= floor;
    if (this.#metric === 'error_rate') {
      const rate = Math.max(baseline, minimumErrorRate);
      // The count test runs on this bucket and the one before together: a quiet deployment at night sees a
      // handful of requests per bucket, too few for one bucket's errors to be conclusive. A burst shows in
      // the pooled count as soon as it shows in one bucket; the persistence rule still asks for two.
      const errors = Math.round(point.value * point.samples);
      const pooledErrors = errors + this.#previousErrors.errors;
      const pooledSamples = point.samples + this.#previousErrors.samples;
      this.#previousErrors = { errors, samples: point.samples };
      const tail = errorTailProbability(pooledErrors, rate * pooledSamples);
      const score = scoreOfTailProbability(tail);
      const upper = Math.max(baseline + floor, upperRate(rate, point.samples, settings.errorTailProbability));
      return { verdict: { value: point.value, baseline, lower: 0, upper, score, driftScore: score }, out: bigEnough && tail < settings.errorTailProbability, score, minimumScale, center, residual: modelled - center };
    }
    const spread = Math.max(scale, minimumScale);
    const score = (modelled - center) / spread;
    const perRequest = averagedMetrics.has(this.#metric) ? perRequestScaleAt(this.baseline, point.bucketStart) : undefined;
    // An average's standard error is the per-request spread over the root of its requests; the slot's
    // minimum scale still applies, so a very busy bucket is not held to a promise no history made.
    const driftScore = perRequest === undefined ? score : (modelled - center) / Math.max(perRequest / Math.sqrt(Math.max(point.samples, 1)), minimumScale);
    const upper = Math.max(fromModelScale(this.#metric, center + settings.threshold * spread), baseline + floor);
    const lower = Math.max(0, fromModelScale(this.#metric, center - settings.threshold * spread));
    return { verdict: { value: point.value, baseline, lower, upper, score, driftScore }, out: bigEnough && point.value > upper, score, minimumScale, center, residual: modelled - center };
  }

  /** Whether a shift of `residual` (model scale) above `center` reaches the metric's minimum effect. */
  #matters(center: number, residual: number): boolean {
    const baseline = fromModelScale(this.#metric, center);
    return fromModelScale(this.#metric, center + residual) - baseline >= this.#floorAt(baseline);
  }

  /** The smallest rise (in the metric's unit) that may count, whatever the statistics say. */
  #floorAt(baseline: number): number {
    const minimum = minimumDeviationOf(this.#settings, this.#metric);
    return Math.max(minimum.absolute, minimum.relative * Math.abs(baseline));
  }

  #minimumScaleAt(center: number): number {
    if (this.#metric === 'request_rate') {
      // Counts are at least Poisson-noisy: on the log scale a steady 4 per bucket still varies by about 0.4.
      const count = Math.max(Math.expm1(center), 1);
      return Math.max(this.#settings.minimumRelativeScale, Math.sqrt(count) / (count + 1));
    }
    return this.#metric === 'error_rate' ? Number.EPSILON : this.#settings.minimumRelativeScale;
  }
}

/** The highest error rate of a bucket of `samples` requests that is not yet surprising at the normal `rate`. */
function upperRate(rate: number, samples: number, tailProbability: number): number {
  let errors = Math.ceil(rate * samples);
  while (errors < samples && errorTailProbability(errors + 1, rate * samples) >= tailProbability) errors += 1;
  return errors / samples;
}
