import { randomUUID } from 'node:crypto';
import { GatewayError } from '../../spec/index.js';
import { replayModel, trainModel, type AnomalyModel, type BucketedHistory } from './anomaly-model.js';
import type { AnomalyModelStore, AnomalyModelVersion, ModelValidation } from './anomaly-model-store.js';
import type { DetectorSettings } from './detector-settings.js';
import type { SeriesHistory } from './series-history.js';

const weekMs = 7 * 86_400_000;

/** Options of {@link AnomalyModelTrainer}. */
export interface AnomalyModelTrainerOptions {
  store: AnomalyModelStore;
  history: SeriesHistory;
  settings: DetectorSettings;
  now: () => number;
  /** How much history a version is trained on (including the held-out part). Default two weeks. */
  trainingWindowMs?: number;
  /** The most recent part of it, kept out of fitting and used to validate. Default one day. */
  heldOutMs?: number;
  /** The false-alarm budget a candidate must meet on the held-out window, prorated. Default 1 per week. */
  allowedFalseAlarmsPerWeek?: number;
  /** Windows known not to be clean (past incidents): buckets inside them are left out of validation. */
  excludedWindows?: () => ReadonlyArray<{ from: number; until: number }>;
  /** Called with the model of a version that became active (training or rollback). */
  onActivated?: (version: AnomalyModelVersion) => void;
}

/**
 * Trains detector models as versions: fit on the training window, replay on the held-out window, and let the
 * candidate replace the active version only when it raises no more false alarms there than allowed. Versions
 * are kept; `rollback` makes an earlier one active again.
 */
export class AnomalyModelTrainer {
  readonly #options: AnomalyModelTrainerOptions;
  /** Runs one at a time: the schedule, an operator's retrain and a rollback never interleave. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: AnomalyModelTrainerOptions) {
    this.#options = options;
  }

  /** Trains, validates and stores a new version (active when accepted, rejected otherwise); returns it. */
  retrain(): Promise<AnomalyModelVersion> {
    return this.#serialised(() => this.#retrain());
  }

  /** {@link retrain} on history already at hand (the fault-injection suite replays its own). */
  trainOn(buckets: BucketedHistory, window: { from: number; heldOutFrom: number; until: number }): Promise<AnomalyModelVersion> {
    return this.#serialised(() => this.#trainOn(buckets, window));
  }

  /**
   * Makes `id` the active version, or (without `id`) the accepted version trained just before the active one.
   * Errors: `not_found` when there is no such version or nothing to roll back to; `invalid_request` for a
   * rejected version.
   */
  rollback(id?: string): Promise<AnomalyModelVersion> {
    return this.#serialised(() => this.#rollback(id));
  }

  #serialised<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #retrain(): Promise<AnomalyModelVersion> {
    const { history, settings, now } = this.#options;
    const until = now() - (now() % settings.bucketMs);
    const trainingWindowMs = this.#options.trainingWindowMs ?? 2 * weekMs;
    const heldOutMs = this.#options.heldOutMs ?? 86_400_000;
    const from = until - trainingWindowMs;
    const heldOutFrom = until - heldOutMs;
    const buckets = await history.bucketsBetween(from, until, settings.bucketMs);
    return this.#trainOn(buckets, { from, heldOutFrom, until });
  }

  async #trainOn(buckets: BucketedHistory, window: { from: number; heldOutFrom: number; until: number }): Promise<AnomalyModelVersion> {
    const { store, settings, now } = this.#options;
    const training = buckets.filter((bucket) => bucket.bucketStart < window.heldOutFrom);
    const excluded = this.#options.excludedWindows?.() ?? [];
    const heldOut = buckets.filter((bucket) => bucket.bucketStart >= window.heldOutFrom && !excluded.some((each) => bucket.bucketStart >= each.from && bucket.bucketStart < each.until));
    const candidate = trainModel(training, settings, window.from, window.heldOutFrom);
    const replayed = replayModel(candidate, heldOut);
    const previous = await store.active();
    const allowed = ((this.#options.allowedFalseAlarmsPerWeek ?? 1) * (window.until - window.heldOutFrom)) / weekMs;
    const falseAlarms = replayed.alarms.length;
    const accepted = falseAlarms <= allowed;
    const validation: ModelValidation = {
      heldOutFrom: window.heldOutFrom,
      heldOutUntil: window.until,
      falseAlarms,
      allowedFalseAlarms: allowed,
      ...(previous === undefined ? {} : { previousFalseAlarms: replayModel(previous.model, heldOut).alarms.length }),
      accepted,
      ...(accepted ? {} : { reason: `raised ${falseAlarms} alarm(s) on the held-out window, ${allowed.toFixed(2)} allowed (first: ${replayed.alarms[0]?.subject ?? 'none'})` }),
    };
    const atMs = now();
    // The accepted body is the candidate as the held-out replay left it: fitted on the training part and
    // adapted through the held-out part, exactly what was validated.
    const model: AnomalyModel = { ...replayed.adapted, trainedUntil: window.until };
    const version: AnomalyModelVersion = {
      id: `amv_${randomUUID()}`,
      version: (await store.latestVersion()) + 1,
      status: accepted ? 'active' : 'rejected',
      createdAt: atMs,
      trainedFrom: window.from,
      trainedUntil: window.until,
      seriesCount: Object.keys(model.series).length,
      validation,
      ...(accepted ? { activatedAt: atMs } : {}),
      model,
    };
    await store.save(version);
    if (accepted) this.#options.onActivated?.(version);
    return version;
  }

  async #rollback(id?: string): Promise<AnomalyModelVersion> {
    const { store, now } = this.#options;
    let targetId = id;
    if (targetId === undefined) {
      const versions = await store.list({ limit: 1000 });
      const active = versions.find((each) => each.status === 'active');
      targetId = versions.find((each) => each.status === 'inactive' && (active === undefined || each.version < active.version))?.id;
      if (targetId === undefined) throw new GatewayError('not_found', 'There is no earlier accepted anomaly model version to roll back to.');
    }
    const target = await store.get(targetId);
    if (target === undefined) throw new GatewayError('not_found', `No anomaly model version ${targetId}.`);
    if (target.status === 'rejected') throw new GatewayError('invalid_request', `Anomaly model version ${target.version} failed validation and cannot be activated.`);
    await store.activate(targetId, now());
    const activated = (await store.get(targetId)) as AnomalyModelVersion;
    this.#options.onActivated?.(activated);
    return activated;
  }
}
