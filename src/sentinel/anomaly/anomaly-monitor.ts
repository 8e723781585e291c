import { randomUUID } from 'node:crypto';
import type { AnomalyModel } from './anomaly-model.js';
import type { DetectorSettings } from './detector-settings.js';
import type { EvidencePoint, Incident, IncidentChange, SeriesEvidence } from './incident.js';
import { rootCauseOf } from './root-cause.js';
import type { SubjectInfo } from './series-aggregator.js';
import { SeriesDetector, type BucketVerdict } from './series-detector.js';
import { seriesIdOf, seriesKeyOf, subjectIdOf, type SeriesKey, type SeriesPoint } from './series.js';

/** Options of {@link AnomalyMonitor}. */
export interface AnomalyMonitorOptions {
  /** Settings used until a model is loaded (a model brings its own). */
  settings: DetectorSettings;
  /** Buckets of evidence kept per series. */
  evidenceBuckets?: number;
  /** Incident ids; random by default (the fault-injection suite passes a counter to be reproducible). */
  newId?: () => string;
}

const defaultEvidenceBuckets = 20;

/**
 * Runs a detector per series over closed buckets and turns anomalous series into incidents, one per subject,
 * with evidence and a root-cause hint. It keeps no clock of its own: time is the buckets' time, so the same
 * code runs live and in simulated time.
 */
export class AnomalyMonitor {
  #settings: DetectorSettings;
  #model: AnomalyModel | undefined;
  readonly #detectors = new Map<string, SeriesDetector>();
  readonly #evidence = new Map<string, EvidencePoint[]>();
  readonly #open = new Map<string, Incident>();
  readonly #evidenceBuckets: number;
  readonly #newId: () => string;

  constructor(options: AnomalyMonitorOptions) {
    this.#settings = options.settings;
    this.#evidenceBuckets = options.evidenceBuckets ?? defaultEvidenceBuckets;
    this.#newId = options.newId ?? (() => `anm_${randomUUID()}`);
  }

  get settings(): DetectorSettings {
    return this.#settings;
  }

  /**
   * Switches to a model version. Series it has a baseline for start from it; the others keep what they have
   * learned online. Open incidents stay open (their series are judged by the new baselines from now on).
   */
  loadModel(model: AnomalyModel): void {
    this.#model = model;
    this.#settings = model.settings;
    for (const [id, detector] of this.#detectors) {
      const baseline = model.series[id];
      const wasAnomalous = detector.anomalous;
      // A series in an open incident keeps its detector until the incident clears, so a model swap does not
      // clear (and undo the remediation of) an incident that is still going on.
      if (baseline !== undefined && !wasAnomalous) this.#detectors.set(id, new SeriesDetector(seriesKeyOf(id).metric, model.settings, baseline));
    }
  }

  /** The open incidents. */
  openIncidents(): Incident[] {
    return [...this.#open.values()];
  }

  /** The normal request rate per bucket of a key or team at a time, when known. */
  requestBaseline(dimension: 'key' | 'team', subject: string, timeMs: number): number | undefined {
    return this.#detectors.get(seriesIdOf({ metric: 'request_rate', dimension, subject }))?.expectation(timeMs).baseline;
  }

  /** Judges one closed bucket and returns what changed (incidents opened, still out, cleared). */
  observeBucket(bucketStart: number, points: ReadonlyArray<SeriesPoint>, subjects: ReadonlyMap<string, SubjectInfo>): IncidentChange[] {
    const verdicts = new Map<string, BucketVerdict>();
    const anomalousBySubject = new Map<string, SeriesKey[]>();
    const outSubjects = new Set<string>();
    for (const point of points) {
      const key = seriesKeyOf(point.series);
      const verdict = this.#detectorOf(point.series, key).observe(point);
      if (verdict === undefined) continue;
      verdicts.set(point.series, verdict);
      const evidence = this.#evidence.get(point.series) ?? [];
      evidence.push({ bucketStart, value: verdict.value, baseline: verdict.baseline, lower: verdict.lower, upper: verdict.upper });
      if (evidence.length > this.#evidenceBuckets) evidence.shift();
      this.#evidence.set(point.series, evidence);
      if (verdict.out) outSubjects.add(subjectIdOf(key));
    }
    // A series without a point in this bucket (a drained deployment) keeps its last state.
    for (const [id, detector] of this.#detectors) {
      if (!detector.anomalous) continue;
      const key = seriesKeyOf(id);
      // Per-code error series explain; the all-codes series decides.
      if (key.errorCode !== undefined) continue;
      const subject = subjectIdOf(key);
      anomalousBySubject.set(subject, [...(anomalousBySubject.get(subject) ?? []), key]);
    }

    const changes: IncidentChange[] = [];
    const bucketEnd = bucketStart + this.#settings.bucketMs;
    for (const [subjectId, keys] of anomalousBySubject) {
      const existing = this.#open.get(subjectId);
      if (existing !== undefined) {
        for (const key of keys) this.#addEvidence(existing, key, verdicts);
        if (outSubjects.has(subjectId)) changes.push({ kind: 'persisting', incident: existing });
        continue;
      }
      const info = subjects.get(subjectId) ?? { dimension: keys[0].dimension, subject: keys[0].subject };
      const incident: Incident = {
        id: this.#newId(),
        dimension: info.dimension,
        subject: info.subject,
        severity: 'warning',
        state: 'open',
        detectedAt: bucketEnd,
        evidence: [],
        hint: rootCauseOf(info, keys, { verdicts, subjects }),
        attributes: Object.fromEntries(Object.entries({ provider: info.provider, model: info.model, teamId: info.teamId }).filter((entry): entry is [string, string] => entry[1] !== undefined)),
        bucketMs: this.#settings.bucketMs,
      };
      for (const key of keys) this.#addEvidence(incident, key, verdicts);
      incident.severity = severityOf(incident);
      if (info.dimension !== 'deployment') {
        const baseline = this.requestBaseline(info.dimension, info.subject, bucketStart);
        if (baseline !== undefined) incident.baselineRequestsPerBucket = baseline;
      }
      this.#open.set(subjectId, incident);
      changes.push({ kind: 'opened', incident });
    }
    for (const [subjectId, incident] of this.#open) {
      if (anomalousBySubject.has(subjectId)) continue;
      incident.state = 'cleared';
      incident.clearedAt = bucketEnd;
      this.#open.delete(subjectId);
      changes.push({ kind: 'cleared', incident });
    }
    return changes;
  }

  #detectorOf(id: string, key: SeriesKey): SeriesDetector {
    let detector = this.#detectors.get(id);
    if (detector === undefined) {
      detector = new SeriesDetector(key.metric, this.#settings, this.#model?.series[id]);
      this.#detectors.set(id, detector);
    }
    return detector;
  }

  #addEvidence(incident: Incident, key: SeriesKey, verdicts: ReadonlyMap<string, BucketVerdict>): void {
    const id = seriesIdOf(key);
    if (incident.evidence.some((each) => each.series === id)) return;
    const points = [...(this.#evidence.get(id) ?? [])];
    const reason = verdicts.get(id)?.reason ?? 'persistence';
    const entry: SeriesEvidence = { series: id, metric: key.metric, reason, points };
    if (key.errorCode !== undefined) entry.errorCode = key.errorCode;
    incident.evidence.push(entry);
  }
}

/** Critical: the subject is far out (twice its band's upper edge) or a deployment fails half its requests. */
function severityOf(incident: Incident): 'warning' | 'critical' {
  for (const evidence of incident.evidence) {
    const last = evidence.points[evidence.points.length - 1];
    if (last === undefined) continue;
    if (evidence.metric === 'error_rate' && last.value >= 0.5) return 'critical';
    if (last.upper > 0 && last.value >= 2 * last.upper) return 'critical';
  }
  return 'warning';
}
