/**
 * The time series the anomaly detectors watch, all derived from the usage ledger's rows. Deployment series
 * describe how an upstream behaves; key and team series describe how a client spends.
 */

/** What a series measures. Every metric is judged on its upper side: the harm is in a rise. */
export const seriesMetrics = ['latency', 'time_to_first_token', 'error_rate', 'spend_rate', 'token_rate', 'request_rate'] as const;
export type SeriesMetric = (typeof seriesMetrics)[number];

/** Whose series it is. */
export const seriesDimensions = ['deployment', 'key', 'team'] as const;
export type SeriesDimension = (typeof seriesDimensions)[number];

/** Which metrics each dimension carries. */
export const metricsOfDimension: Readonly<Record<SeriesDimension, ReadonlyArray<SeriesMetric>>> = {
  deployment: ['latency', 'time_to_first_token', 'error_rate'],
  key: ['spend_rate', 'token_rate', 'request_rate'],
  team: ['spend_rate', 'token_rate', 'request_rate'],
};

/**
 * Metrics whose value is a count per bucket: a bucket without requests is a real 0. The others (latency,
 * time to first token, error rate) are averages over a bucket's requests and have no value without them.
 */
export const countingMetrics: ReadonlySet<SeriesMetric> = new Set(['spend_rate', 'token_rate', 'request_rate']);

/** Identifies one series. `errorCode` narrows an `error_rate` series to one code (undefined: all codes). */
export interface SeriesKey {
  metric: SeriesMetric;
  dimension: SeriesDimension;
  /** The deployment id, key id or team id. */
  subject: string;
  errorCode?: string;
}

/** One bucket of one series. */
export interface SeriesPoint {
  series: string;
  /** Start of the bucket, epoch ms. */
  bucketStart: number;
  value: number;
  /** How many requests the value is made of (a latency average over 3 requests is weaker evidence than 300). */
  samples: number;
}

/** The stable id of a series: `metric|dimension|subject` (and `|code` for one error code). */
export function seriesIdOf(key: SeriesKey): string {
  return key.errorCode === undefined ? `${key.metric}|${key.dimension}|${key.subject}` : `${key.metric}|${key.dimension}|${key.subject}|${key.errorCode}`;
}

/** The key of a series id made by {@link seriesIdOf}. */
export function seriesKeyOf(id: string): SeriesKey {
  const [metric, dimension, subject, ...code] = id.split('|');
  const key: SeriesKey = { metric: metric as SeriesMetric, dimension: dimension as SeriesDimension, subject: subject ?? '' };
  return code.length > 0 ? { ...key, errorCode: code.join('|') } : key;
}

/** The subject a series belongs to (`deployment|dep_a`): anomalies of one subject form one incident. */
export function subjectIdOf(key: SeriesKey): string {
  return `${key.dimension}|${key.subject}`;
}
