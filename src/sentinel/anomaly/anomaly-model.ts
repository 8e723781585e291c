import { GatewayError } from '../../spec/index.js';
import { detectorSettingsSchema, type DetectorSettings } from './detector-settings.js';
import { fitBaseline, type SeriesBaseline } from './seasonal-baseline.js';
import { SeriesDetector } from './series-detector.js';
import { toModelScale } from './series-scale.js';
import { seriesKeyOf, subjectIdOf, type SeriesPoint } from './series.js';

/**
 * The format of {@link AnomalyModel} bodies written now. 1: baselines of centres and slot spreads. 2: averaged
 * series (latency, TTFT) also carry per-request spreads, which the drift CUSUM standardises by.
 */
export const anomalyModelFormat = 2;

/** The learned state of every detector: what a model version holds (baselines on each metric's model scale). */
export interface AnomalyModel {
  /** {@link anomalyModelFormat} when written; absent in bodies stored before formats were numbered (format 1). */
  format?: number;
  settings: DetectorSettings;
  /** The history it was fitted on (epoch ms, end exclusive). */
  trainedFrom: number;
  trainedUntil: number;
  /** Baselines by series id. */
  series: Record<string, SeriesBaseline>;
}

/**
 * A model body as read back from storage, ready to load. A body of an older format keeps what it was validated
 * with (its settings, its baselines: without per-request spreads the drift CUSUM standardises by the slot's
 * spread, as format 1 did), and settings added since it was written take their defaults. A body of a newer
 * format than this code knows (a rollback of the software) is refused rather than misread.
 */
export function readStoredModel(body: AnomalyModel, id: string): AnomalyModel {
  const format = body.format ?? 1;
  if (format > anomalyModelFormat) throw new GatewayError('internal_error', `The stored anomaly model ${id} has format ${format}; this version reads up to ${anomalyModelFormat}. Train a new version or roll back to an older one.`);
  const settings = detectorSettingsSchema.safeParse(body.settings);
  if (!settings.success) throw new GatewayError('internal_error', `The stored anomaly model ${id} has unreadable settings: ${settings.error.issues[0]?.message ?? 'invalid'}`);
  return { ...body, settings: settings.data };
}

/** Closed buckets in time order, each with the points of every series. */
export type BucketedHistory = ReadonlyArray<{ bucketStart: number; points: ReadonlyArray<SeriesPoint> }>;

/** Series with fewer training buckets than this are left to warm up online instead. */
const minimumTrainingBuckets = 30;

/** Fits a baseline per series to `history` (averages over too few requests are left out, as when judging). */
export function trainModel(history: BucketedHistory, settings: DetectorSettings, trainedFrom: number, trainedUntil: number): AnomalyModel {
  const bySeries = new Map<string, Array<{ bucketStart: number; value: number; samples: number }>>();
  for (const bucket of history) {
    for (const point of bucket.points) {
      const metric = seriesKeyOf(point.series).metric;
      const counting = metric === 'spend_rate' || metric === 'token_rate' || metric === 'request_rate';
      if (!counting && point.samples < settings.minimumSamples) continue;
      let points = bySeries.get(point.series);
      if (points === undefined) {
        points = [];
        bySeries.set(point.series, points);
      }
      points.push({ bucketStart: point.bucketStart, value: toModelScale(metric, point.value), samples: point.samples });
    }
  }
  const series: Record<string, SeriesBaseline> = {};
  for (const [id, points] of bySeries) {
    const metric = seriesKeyOf(id).metric;
    const averaged = metric === 'latency' || metric === 'time_to_first_token';
    if (points.length >= minimumTrainingBuckets) series[id] = fitBaseline(points, settings.minimumPerSlot, metric === 'error_rate' ? 'mean' : 'median', { perRequest: averaged });
  }
  return { format: anomalyModelFormat, settings, trainedFrom, trainedUntil, series };
}

/** A subject that turned anomalous while replaying (one incident, however many of its series took part). */
export interface ReplayAlarm {
  subject: string;
  atMs: number;
  series: string[];
}

/**
 * Runs a model's detectors over `history` as the monitor would (adapting as they go) and reports every
 * incident onset. Used to validate a candidate on held-out data; the detectors' adapted baselines come back
 * so the accepted version starts from where the validation left it.
 */
export function replayModel(model: AnomalyModel, history: BucketedHistory): { alarms: ReplayAlarm[]; adapted: AnomalyModel } {
  const detectors = new Map<string, SeriesDetector>();
  const anomalousSeries = new Map<string, Set<string>>();
  const alarms: ReplayAlarm[] = [];
  for (const bucket of history) {
    for (const point of bucket.points) {
      let detector = detectors.get(point.series);
      const key = seriesKeyOf(point.series);
      if (detector === undefined) {
        detector = new SeriesDetector(key.metric, model.settings, model.series[point.series]);
        detectors.set(point.series, detector);
      }
      const verdict = detector.observe(point);
      if (verdict === undefined) continue;
      const subject = subjectIdOf(key);
      let active = anomalousSeries.get(subject);
      if (active === undefined) {
        active = new Set();
        anomalousSeries.set(subject, active);
      }
      const wasQuiet = active.size === 0;
      if (verdict.anomalous) active.add(point.series);
      else active.delete(point.series);
      if (wasQuiet && active.size > 0) alarms.push({ subject, atMs: bucket.bucketStart, series: [point.series] });
    }
  }
  const series = { ...model.series };
  for (const [id, detector] of detectors) if (model.series[id] !== undefined) series[id] = detector.baseline;
  return { alarms, adapted: { ...model, series } };
}
