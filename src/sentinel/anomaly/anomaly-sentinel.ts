import type { LedgerRow } from '../../observatory/ledger-row.js';
import type { ObservedRequest, RequestObserver } from '../../observatory/request-observer.js';
import type { AnomalyModel } from './anomaly-model.js';
import { AnomalyMonitor } from './anomaly-monitor.js';
import type { DetectorSettings } from './detector-settings.js';
import type { Incident, IncidentChange } from './incident.js';
import type { RemediationEngine } from './remediation-engine.js';
import { SeriesAggregator } from './series-aggregator.js';
import type { SeriesPoint } from './series.js';

/** Options of {@link AnomalySentinel}. */
export interface AnomalySentinelOptions {
  settings: DetectorSettings;
  /** The time a finished request is counted at (the wall clock live, simulated time in the suite). */
  now: () => number;
  /** Remediation of incidents; without it incidents are only reported. */
  remediation?: RemediationEngine;
  /** Told about every incident opened or cleared (events, alerts). Must not throw. */
  onIncident?: (change: IncidentChange) => void;
  maxSubjects?: number;
  newIncidentId?: () => string;
  /** Sees every closed bucket's points (a simulation keeps them as training history). */
  onBucket?: (bucketStart: number, points: ReadonlyArray<SeriesPoint>) => void;
}

/**
 * Anomaly detection on the gateway's own traffic: a request observer that adds each finished request to the
 * current bucket (O(1), no I/O), and `evaluate`, called once per bucket off the request path, that judges the
 * closed buckets, opens and clears incidents and drives their remediation.
 */
export class AnomalySentinel implements RequestObserver {
  readonly monitor: AnomalyMonitor;
  readonly #aggregator: SeriesAggregator;
  readonly #options: AnomalySentinelOptions;
  readonly #recent: Incident[] = [];
  #evaluating: Promise<void> = Promise.resolve();

  constructor(options: AnomalySentinelOptions) {
    this.#options = options;
    this.#aggregator = new SeriesAggregator({ bucketMs: options.settings.bucketMs, maxSubjects: options.maxSubjects });
    this.monitor = new AnomalyMonitor({ settings: options.settings, newId: options.newIncidentId });
  }

  observe(row: LedgerRow, _request?: ObservedRequest): void {
    this.#aggregator.add(row, this.#options.now());
  }

  /** Switches the detectors to a model version (training, rollback). The bucket length must stay the same. */
  loadModel(model: AnomalyModel): void {
    if (model.settings.bucketMs !== this.#aggregator.bucketMs) {
      // The live buckets are already being filled at the old length: keep them, judge with the rest.
      this.monitor.loadModel({ ...model, settings: { ...model.settings, bucketMs: this.#aggregator.bucketMs } });
      return;
    }
    this.monitor.loadModel(model);
  }

  /** Open incidents and the most recently cleared ones, newest first. */
  incidents(): Incident[] {
    return [...this.monitor.openIncidents(), ...this.#recent.filter((incident) => incident.state === 'cleared')].sort((left, right) => right.detectedAt - left.detectedAt);
  }

  /** Judges every bucket closed by `atMs` (serialised: a slow remediation never overlaps the next run). */
  evaluate(atMs = this.#options.now()): Promise<void> {
    this.#evaluating = this.#evaluating.then(() => this.#evaluate(atMs));
    return this.#evaluating;
  }

  async #evaluate(atMs: number): Promise<void> {
    const subjects = this.#aggregator.subjects();
    for (const bucket of this.#aggregator.drain(atMs)) {
      this.#options.onBucket?.(bucket.bucketStart, bucket.points);
      const changes = this.monitor.observeBucket(bucket.bucketStart, bucket.points, subjects);
      const bucketEnd = bucket.bucketStart + this.#aggregator.bucketMs;
      for (const change of changes) {
        if (change.kind !== 'persisting') this.#options.onIncident?.(change);
        if (change.kind === 'cleared') {
          this.#recent.unshift(change.incident);
          this.#recent.length = Math.min(this.#recent.length, 200);
        }
        await this.#options.remediation?.handle(change, bucketEnd);
      }
      await this.#options.remediation?.tick(bucketEnd);
    }
  }
}
