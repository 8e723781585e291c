import type { AnomalyConfig } from './config/anomaly-config.js';
import type { Database } from './db/index.js';
import type { HeldOpenDeploymentHealth } from './gateway/routing/held-open-deployment-health.js';
import type { ModelGroup } from './gateway/routing/index.js';
import type { AuditLog } from './governance/audit/audit-log.js';
import type { LimitStore } from './governance/limits/limit-store.js';
import { LiveRemediationActions, throttleLimitPrefix } from './live-remediation-actions.js';
import type { Notification } from './observatory/events/notification.js';
import type { RequestObserver } from './observatory/request-observer.js';
import type { UsageLedger } from './observatory/usage-ledger.js';
import { anomalyNotification } from './sentinel/anomaly/anomaly-notification.js';
import { AnomalySentinel } from './sentinel/anomaly/anomaly-sentinel.js';
import { AnomalyModelTrainer } from './sentinel/anomaly/model-trainer.js';
import { RemediationEngine } from './sentinel/anomaly/remediation-engine.js';
import { defaultRemediationPolicies } from './sentinel/anomaly/remediation-policy.js';
import { LedgerSeriesHistory } from './sentinel/anomaly/series-history.js';
import { SqlAnomalyModelStore } from './sentinel/anomaly/sql-anomaly-model-store.js';
import type { AnomalyModelStore } from './sentinel/anomaly/anomaly-model-store.js';
import type { Clock, Logger } from './spec/index.js';

/** What anomaly detection is built from. */
export interface AnomalyOptions {
  config: AnomalyConfig;
  database: Database;
  ledger: Pick<UsageLedger, 'query'>;
  groups: ReadonlyMap<string, ModelGroup>;
  /** The router's health, wrapped so remediation can hold circuits open (present when `anomaly.enabled`). */
  health: HeldOpenDeploymentHealth | undefined;
  limits: LimitStore;
  onLimitsChanged: (limitId: string) => Promise<void>;
  audit: AuditLog;
  /** Delivers an incident's notification (alert channels, `llm.anomalies`). */
  notify: (notification: Notification) => void;
  /** CloudEvents `source`. */
  source: string;
  clock: Clock;
  logger: Logger;
}

/** What the admin routes need. */
export interface AnomalyAdministration {
  sentinel: AnomalySentinel;
  remediation: RemediationEngine;
  trainer: AnomalyModelTrainer;
  models: AnomalyModelStore;
  now: () => number;
}

/** Anomaly detection as the composition root uses it; inert when `anomaly.enabled` is false. */
export interface AnomalyDetection {
  observers: RequestObserver[];
  admin?: AnomalyAdministration;
  /** Judges the buckets closed so far (the gateway's `settle`). */
  evaluate(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds anomaly detection (docs/anomaly-detection.md): the request observer, the per-bucket evaluation loop,
 * the model versions with scheduled retraining, and remediation against the live router and limits. Every
 * remediation step goes to the audit log as the system actor `sentinel`.
 */
export async function composeAnomalyDetection(options: AnomalyOptions): Promise<AnomalyDetection> {
  const { config, clock, logger } = options;
  if (!config.enabled) return { observers: [], evaluate: async () => undefined, close: async () => undefined };
  if (options.health === undefined) throw new Error('anomaly detection needs the router health wrapped in HeldOpenDeploymentHealth');
  const health = options.health;
  const settings = config.detector;
  const models = new SqlAnomalyModelStore(options.database);
  let sentinel: AnomalySentinel | undefined;
  const remediation = new RemediationEngine({
    actions: new LiveRemediationActions({ groups: options.groups, health, limits: options.limits, onLimitsChanged: options.onLimitsChanged }),
    policies: config.remediation.enabled ? (config.remediation.policies ?? defaultRemediationPolicies) : [],
    audit: (entry, atMs) => void options.audit.append(entry, atMs).catch((error: Error) => logger.error({ error: error.message, action: entry.action }, 'anomaly remediation audit append failed')),
    requestBaseline: (keyId, atMs) => sentinel?.monitor.requestBaseline('key', keyId, atMs),
    onChange: (changed) => logger.info({ remediationId: changed.id, state: changed.state, action: changed.action }, 'anomaly remediation'),
  });
  sentinel = new AnomalySentinel({
    settings,
    now: () => clock.now(),
    remediation,
    onIncident: (change) => {
      logger.warn({ incidentId: change.incident.id, kind: change.kind, subject: `${change.incident.dimension}:${change.incident.subject}`, hint: change.incident.hint.summary }, 'anomaly');
      options.notify(anomalyNotification(change, options.source));
    },
  });
  const hourMs = 3_600_000;
  const trainer = new AnomalyModelTrainer({
    store: models,
    history: new LedgerSeriesHistory({ ledger: options.ledger, maxRows: config.training.maxRows }),
    settings,
    now: () => clock.now(),
    trainingWindowMs: config.training.windowDays * 24 * hourMs,
    heldOutMs: config.training.heldOutHours * hourMs,
    allowedFalseAlarmsPerWeek: config.training.allowedFalseAlarmsPerWeek,
    // Past incidents are not clean data: the held-out replay leaves them out.
    excludedWindows: () => (sentinel?.incidents() ?? []).map((incident) => ({ from: incident.detectedAt - 10 * settings.bucketMs, until: incident.clearedAt ?? clock.now() })),
    onActivated: (version) => {
      sentinel?.loadModel(version.model);
      logger.info({ version: version.version, series: version.seriesCount }, 'anomaly model activated');
    },
  });
  // Incidents live in memory: throttles left by a previous process have no incident to clear them any more.
  await releaseLeftoverThrottles(options.limits, options.onLimitsChanged);
  const active = await models.active();
  if (active !== undefined) sentinel.loadModel(active.model);

  const stop = new AbortController();
  const retrain = async () => {
    const version = await trainer.retrain();
    logger.info({ version: version.version, status: version.status, falseAlarms: version.validation.falseAlarms, reason: version.validation.reason }, 'anomaly model trained');
  };
  const loops = [
    repeat(settings.bucketMs, stop.signal, clock, () => (sentinel as AnomalySentinel).evaluate(), (error) => logger.error({ error: error.message }, 'anomaly evaluation failed')),
    // The first training runs at once when there is no model yet; then on the schedule.
    (async () => {
      if (active === undefined) await retrain().catch((error: Error) => logger.error({ error: error.message }, 'anomaly model training failed'));
      await repeat(config.training.intervalHours * hourMs, stop.signal, clock, retrain, (error) => logger.error({ error: error.message }, 'anomaly model training failed'));
    })(),
  ];
  return {
    observers: [sentinel],
    admin: { sentinel, remediation, trainer, models, now: () => clock.now() },
    evaluate: () => (sentinel as AnomalySentinel).evaluate(),
    async close() {
      stop.abort();
      await Promise.allSettled(loops);
    },
  };
}

/** Runs `work` every `intervalMs` until `signal` aborts; a failed run is reported and the loop goes on. */
async function repeat(intervalMs: number, signal: AbortSignal, clock: Clock, work: () => Promise<void>, report: (error: Error) => void): Promise<void> {
  while (!signal.aborted) {
    try {
      await clock.sleep(intervalMs, signal);
    } catch {
      return;
    }
    await work().catch(report);
  }
}

async function releaseLeftoverThrottles(limits: LimitStore, onLimitsChanged: (limitId: string) => Promise<void>): Promise<void> {
  for (const limit of await limits.list({ scope: 'key' })) {
    if (limit.id.startsWith(throttleLimitPrefix) && (await limits.delete(limit.id))) await onLimitsChanged(limit.id);
  }
}
