import { z } from 'zod';
import { seriesMetrics, type SeriesMetric } from './series.js';

const positive = z.number().positive();
const fraction = z.number().min(0).max(1);

/**
 * The smallest rise that may count as an anomaly, per metric, whatever the statistics say: a latency
 * average 3 ms above a very steady baseline is not worth waking anyone. Both must hold.
 */
export const minimumDeviationSchema = z.strictObject({
  /** In the metric's unit (ms, a fraction for error rates, micro-dollars / tokens / requests per bucket). */
  absolute: z.number().min(0),
  /** As a fraction of the baseline (0.2: 20 % above it). */
  relative: z.number().min(0),
});

/** How the detectors judge a bucket; stored with each model version so a rollback restores them too. */
export const detectorSettingsSchema = z.strictObject({
  /** Bucket length, ms. */
  bucketMs: z.number().int().min(1_000).max(3_600_000).default(30_000),
  /** A bucket is "out" when it is this many robust deviations above the expectation. */
  threshold: positive.default(4),
  /** Persistence: at least `required` of the last `window` buckets out raise an anomaly. */
  persistence: z.strictObject({ required: z.number().int().min(1), window: z.number().int().min(1) }).default({ required: 2, window: 3 }),
  /**
   * A one-sided CUSUM (Page's test) over the standardised residuals catches shifts too small for one bucket
   * (a slow leak): it adds `z - slack` per bucket (each z clipped to `clip`) and raises at `limit`, once the
   * mean rise since it started reaches the metric's minimum effect. For averages the residual is standardised
   * by the bucket's own request count, so on normal traffic it is close to standard normal and `slack` and
   * `limit` set the false-alarm rate: 1.25 and 4.5 give about 450,000 buckets between false alarms of one
   * series (five months at 30 s buckets) and about 4 buckets to catch a rise of 2.5 deviations (decision 0017).
   */
  cusum: z.strictObject({ slack: z.number().min(0), limit: positive, clip: positive }).default({ slack: 1.25, limit: 4.5, clip: 4 }),
  /**
   * The metrics the CUSUM watches. Latency only: time to first token is part of latency and its residual is
   * mostly latency's, so watching both would spend the false-alarm budget twice on the same evidence. A
   * drift in spend or traffic is left to the persistence rule.
   */
  driftMetrics: z.array(z.enum(seriesMetrics)).default(['latency']),
  /**
   * Error rates are judged as counts: a bucket is out when that many errors (or more) would happen with less
   * than this probability at the normal rate (Poisson).
   */
  errorTailProbability: z.number().positive().max(0.5).default(1e-5),
  /**
   * An anomaly clears after this many buckets in a row well inside the band (score below half the threshold)
   * with the CUSUM below its limit.
   */
  clearAfterBuckets: z.number().int().min(1).default(4),
  /** Rate at which baselines follow normal buckets (per bucket, per slot weight). */
  adaptRate: fraction.default(0.02),
  /** Averages (latency, TTFT, error rate) over fewer requests than this are not judged. */
  minimumSamples: z.number().int().min(1).default(5),
  /** A slot with fewer training buckets borrows its hour of day (or the series' overall) statistics. */
  minimumPerSlot: z.number().int().min(1).default(8),
  /**
   * The spread never counts as smaller than this on the model scale (about this fraction of the expectation
   * for latencies and counts, which are modelled on a log scale): a perfectly flat history is not a promise.
   */
  minimumRelativeScale: fraction.default(0.05),
  /** Buckets a series first seen after training only learns from before it may raise anomalies. */
  warmupBuckets: z.number().int().min(0).default(60),
  minimumDeviation: z
    .partialRecord(z.enum(seriesMetrics), minimumDeviationSchema)
    .default({}),
});

export type DetectorSettings = z.output<typeof detectorSettingsSchema>;
export type DetectorSettingsInput = z.input<typeof detectorSettingsSchema>;

/** Defaults of {@link DetectorSettings.minimumDeviation} per metric (a setting overrides its metric's entry). */
export const defaultMinimumDeviation: Readonly<Record<SeriesMetric, z.output<typeof minimumDeviationSchema>>> = {
  latency: { absolute: 50, relative: 0.1 },
  time_to_first_token: { absolute: 25, relative: 0.1 },
  error_rate: { absolute: 0.05, relative: 0 },
  spend_rate: { absolute: 0, relative: 0.5 },
  token_rate: { absolute: 0, relative: 0.5 },
  request_rate: { absolute: 3, relative: 0.5 },
};

/** The minimum deviation in force for a metric. */
export function minimumDeviationOf(settings: DetectorSettings, metric: SeriesMetric): z.output<typeof minimumDeviationSchema> {
  return settings.minimumDeviation[metric] ?? defaultMinimumDeviation[metric];
}

/** Settings with every default filled in. */
export function detectorSettings(input: DetectorSettingsInput = {}): DetectorSettings {
  return detectorSettingsSchema.parse(input);
}
