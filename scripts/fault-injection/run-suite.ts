import type { AnomalyModelVersion } from '../../src/sentinel/anomaly/anomaly-model-store.js';
import { AnomalySentinel } from '../../src/sentinel/anomaly/anomaly-sentinel.js';
import { detectorSettings, type DetectorSettingsInput } from '../../src/sentinel/anomaly/detector-settings.js';
import type { Incident, IncidentChange } from '../../src/sentinel/anomaly/incident.js';
import { MemoryAnomalyModelStore } from '../../src/sentinel/anomaly/memory-anomaly-model-store.js';
import { AnomalyModelTrainer } from '../../src/sentinel/anomaly/model-trainer.js';
import { RemediationEngine, type RemediationAuditEntry } from '../../src/sentinel/anomaly/remediation-engine.js';
import { defaultRemediationPolicies } from '../../src/sentinel/anomaly/remediation-policy.js';
import { SeriesAggregator } from '../../src/sentinel/anomaly/series-aggregator.js';
import type { SeriesPoint } from '../../src/sentinel/anomaly/series.js';
import { faultScenarios, type FaultName } from './fault-scenarios.js';
import { SimulatedFleet } from './simulated-fleet.js';
import { figuresBetween, Simulation, type MinuteFigures } from './simulation.js';
import { noFaults, SyntheticTraffic, type SimulatedKey } from './synthetic-traffic.js';

const minuteMs = 60_000;
const dayMs = 86_400_000;

/** What to run. */
export interface SuiteOptions {
  seed?: number;
  /** Simulated days of history the first model is trained on (the last one held out to validate it). */
  trainingDays?: number;
  /** Simulated days of clean traffic over which false alarms are counted. */
  cleanDays?: number;
  /** Retrain (and validate) every this many simulated days of the clean run. */
  retrainEveryDays?: number;
  faults?: ReadonlyArray<FaultName>;
  settings?: DetectorSettingsInput;
  log?: (line: string) => void;
  /** Sees every closed bucket's points, history and live alike (to study detector settings offline). */
  observeBucket?: (bucketStart: number, points: ReadonlyArray<SeriesPoint>) => void;
}

/** The outcome for one injected fault. */
export interface FaultResult {
  name: FaultName;
  description: string;
  injectedAt: string;
  detected: boolean;
  detectionDelayMs?: number;
  detectedBy?: string[];
  reason?: string;
  rootCause?: string;
  remediation?: { policy: string; action: string; state: string; appliedAfterMs?: number; approvalReason?: string };
  serviceLevel: { criterion: string; preFault: number; beforeRemediation: number; afterRemediation: number; restored: boolean; unit: string };
  /** How long after the fault ended its incident cleared, and whether every action was undone by the end. */
  clearedAfterFaultEndMs?: number;
  undone: boolean;
  stillHeld: string[];
  otherIncidents: string[];
}

/** The whole report. */
export interface SuiteReport {
  seed: number;
  bucketMs: number;
  training: { days: number; seriesCount: number; validation: AnomalyModelVersion['validation'] };
  retraining: Array<{ day: number; version: number; status: string; falseAlarms: number; allowed: number }>;
  clean: { days: number; falseAlarms: number; perDay: number; perWeek: number; incidents: string[] };
  faults: FaultResult[];
  audit: { records: number; actions: Record<string, number> };
  targets: { detectedWithinTwoMinutes: boolean; atMostOneFalseAlarmPerWeek: boolean; remediationRestored: boolean };
}

/** The simulated fleet: two deployments behind "chat", one behind "chat-small" (nothing to fail over to). */
export function simulatedFleet(): SimulatedFleet {
  return new SimulatedFleet([
    { id: 'dep-a', group: 'chat', provider: 'upstream-1', model: 'large-model', weight: 1, latencyMs: 950, errorRate: 0.004 },
    { id: 'dep-b', group: 'chat', provider: 'upstream-2', model: 'large-model', weight: 1, latencyMs: 1000, errorRate: 0.004 },
    { id: 'dep-c', group: 'chat-small', provider: 'upstream-1', model: 'small-model', weight: 1, latencyMs: 450, errorRate: 0.003 },
  ]);
}

/** The simulated clients. */
export const simulatedKeys: ReadonlyArray<SimulatedKey> = [
  { id: 'key-web', teamId: 'team-web', group: 'chat', peakPerMinute: 90, shape: 'office', tokensMedian: 1200, microsPerToken: 3 },
  { id: 'key-mobile', teamId: 'team-web', group: 'chat', peakPerMinute: 45, shape: 'office', tokensMedian: 800, microsPerToken: 3 },
  { id: 'key-batch', teamId: 'team-data', group: 'chat', peakPerMinute: 24, shape: 'batch', tokensMedian: 3000, microsPerToken: 3 },
  { id: 'key-analytics', teamId: 'team-data', group: 'chat-small', peakPerMinute: 20, shape: 'office', tokensMedian: 600, microsPerToken: 0.5 },
  { id: 'key-support', teamId: 'team-support', group: 'chat-small', peakPerMinute: 30, shape: 'flat', tokensMedian: 900, microsPerToken: 0.5 },
];

/** Monday 2026-01-05 00:00 UTC: every run starts on a Monday, so weekdays and weekends fall the same way. */
const suiteStart = Date.UTC(2026, 0, 5);

function describeIncident(incident: Incident): string {
  return `${new Date(incident.detectedAt).toISOString()} ${incident.dimension} ${incident.subject} (${incident.evidence.map((each) => `${each.metric}${each.errorCode === undefined ? '' : `:${each.errorCode}`} by ${each.reason}`).join(', ')})`;
}

function describeAction(action: { kind: string } & Record<string, unknown>): string {
  return Object.entries(action).map(([name, value]) => (name === 'kind' ? String(value) : `${name}=${String(value)}`)).join(' ');
}

/**
 * Trains on simulated history, counts false alarms over clean simulated weeks (retraining on schedule), then
 * injects each fault in turn and measures detection delay, the remediation and the service level.
 */
export async function runFaultInjectionSuite(options: SuiteOptions = {}): Promise<SuiteReport> {
  const seed = options.seed ?? 20261127;
  const trainingDays = options.trainingDays ?? 14;
  const cleanDays = options.cleanDays ?? 14;
  const retrainEveryDays = options.retrainEveryDays ?? 7;
  const log = options.log ?? (() => {});
  const settings = detectorSettings(options.settings);
  const bucketMs = settings.bucketMs;

  const fleet = simulatedFleet();
  const traffic = new SyntheticTraffic({ keys: simulatedKeys, fleet, seed });
  const simulation = new Simulation({ start: suiteStart, traffic, bucketMs });
  const history: Array<{ bucketStart: number; points: ReadonlyArray<SeriesPoint> }> = [];
  const keepHistory = (bucketStart: number, points: ReadonlyArray<SeriesPoint>) => {
    options.observeBucket?.(bucketStart, points);
    history.push({ bucketStart, points });
    while (history.length > 0 && history[0].bucketStart < bucketStart - trainingDays * dayMs) history.shift();
  };

  // 1. History, then the first model version.
  log(`simulating ${trainingDays} days of history...`);
  const aggregator = new SeriesAggregator({ bucketMs });
  await simulation.advance(suiteStart + trainingDays * dayMs, noFaults, {
    aggregator,
    onBoundary: (atMs) => {
      for (const bucket of aggregator.drain(atMs)) keepHistory(bucket.bucketStart, bucket.points);
    },
  });
  const store = new MemoryAnomalyModelStore();
  let incidentCounter = 0;
  let sentinel: AnomalySentinel | undefined;
  const trainer = new AnomalyModelTrainer({ store, history: { bucketsBetween: async () => history }, settings, now: simulation.currentTime, onActivated: (version) => sentinel?.loadModel(version.model) });
  const window = (until: number) => ({ from: until - trainingDays * dayMs, heldOutFrom: until - dayMs, until });
  const first = await trainer.trainOn(history, window(simulation.now));
  log(`model v${first.version}: ${first.seriesCount} series, ${first.validation.falseAlarms} alarm(s) on the held-out day (${first.validation.allowedFalseAlarms.toFixed(2)} allowed): ${first.status}`);

  // 2. The sentinel with remediation against the simulated fleet.
  const auditRecords: RemediationAuditEntry[] = [];
  const engine = new RemediationEngine({ actions: fleet, policies: defaultRemediationPolicies, audit: (entry) => auditRecords.push(entry), requestBaseline: (keyId, atMs) => sentinel?.monitor.requestBaseline('key', keyId, atMs) });
  const opened: Incident[] = [];
  const cleared: Incident[] = [];
  sentinel = new AnomalySentinel({
    settings,
    now: simulation.currentTime,
    remediation: engine,
    newIncidentId: () => `anm_${++incidentCounter}`,
    onBucket: keepHistory,
    onIncident: (change: IncidentChange) => (change.kind === 'opened' ? opened : cleared).push(change.incident),
  });
  const active = await store.active();
  if (active !== undefined) sentinel.loadModel(active.model);

  // 3. Clean weeks: every incident is a false alarm. Retrain on schedule.
  log(`simulating ${cleanDays} clean days...`);
  const retraining: SuiteReport['retraining'] = [];
  const cleanStart = simulation.now;
  for (let day = 1; day <= cleanDays; day += 1) {
    await simulation.advance(cleanStart + day * dayMs, noFaults, { sentinel });
    if (day % retrainEveryDays === 0 && day < cleanDays) {
      const version = await trainer.trainOn(history, window(simulation.now));
      retraining.push({ day, version: version.version, status: version.status, falseAlarms: version.validation.falseAlarms, allowed: version.validation.allowedFalseAlarms });
      log(`day ${day}: retrained v${version.version}: ${version.status} (${version.validation.falseAlarms} held-out alarm(s))`);
    }
  }
  const falseAlarms = opened.filter((incident) => incident.detectedAt >= cleanStart);
  log(`clean run: ${falseAlarms.length} false alarm(s) in ${cleanDays} days`);

  // 4. Faults, one a day at their own hour, with clean traffic in between.
  const faults: FaultResult[] = [];
  for (const name of options.faults ?? (Object.keys(faultScenarios) as FaultName[])) {
    const scenario = faultScenarios[name];
    const dayStart = simulation.now - (simulation.now % dayMs) + dayMs;
    const start = dayStart + scenario.startOffsetMs;
    const end = start + scenario.durationMs;
    await simulation.advance(start - 40 * minuteMs, noFaults, { sentinel });
    const openedBefore = opened.length;
    const auditBefore = auditRecords.length;
    simulation.startRecording();
    await simulation.advance(start - (start % 5_000), noFaults, { sentinel });
    const effects = scenario.effects(start, end);
    await simulation.advance(end + (5_000 - (end % 5_000)), effects, { sentinel });
    // An hour after the fault: long enough for a drained deployment's probe to show it has recovered.
    await simulation.advance(end + 60 * minuteMs, noFaults, { sentinel });
    const recorded = simulation.stopRecording();
    const during = opened.slice(openedBefore);
    const hit = during.find((incident) => `${incident.dimension}|${incident.subject}` === scenario.subject && incident.detectedAt >= start);
    const remediation = hit === undefined ? undefined : engine.list().find((each) => each.incidentId === hit.id);
    const applied = auditRecords.slice(auditBefore).find((entry) => entry.action === 'anomaly.remediation.apply' && entry.details.incidentId === hit?.id && entry.outcome === 'success');
    const appliedAt = remediation?.appliedAt ?? (applied === undefined ? undefined : hit?.detectedAt);
    const level = serviceLevelOf(name, recorded, start, end, appliedAt);
    const clearedIncident = hit === undefined ? undefined : cleared.find((incident) => incident.id === hit.id);
    const stillHeld = fleet.heldActions();
    faults.push({
      name,
      description: scenario.description,
      injectedAt: new Date(start).toISOString(),
      detected: hit !== undefined,
      ...(hit === undefined ? {} : { detectionDelayMs: hit.detectedAt - start, detectedBy: hit.evidence.map((each) => each.series), reason: hit.evidence.map((each) => each.reason).join(', '), rootCause: hit.hint.summary }),
      ...(remediation === undefined ? {} : { remediation: { policy: remediation.policy, action: describeAction(remediation.action), state: remediation.state, ...(remediation.appliedAt === undefined ? {} : { appliedAfterMs: remediation.appliedAt - start }), ...(remediation.approvalReason === undefined ? {} : { approvalReason: remediation.approvalReason }) } }),
      serviceLevel: { criterion: scenario.serviceLevel, ...level },
      ...(clearedIncident?.clearedAt === undefined ? {} : { clearedAfterFaultEndMs: clearedIncident.clearedAt - end }),
      undone: stillHeld.length === 0,
      stillHeld,
      otherIncidents: during.filter((incident) => incident !== hit).map(describeIncident),
    });
    log(`${name}: ${hit === undefined ? 'NOT detected' : `detected after ${((hit.detectedAt - start) / 1000).toFixed(0)} s`}; service level restored: ${level.restored}`);
  }

  const actions: Record<string, number> = {};
  for (const entry of auditRecords) actions[entry.action] = (actions[entry.action] ?? 0) + 1;
  const perDay = falseAlarms.length / cleanDays;
  return {
    seed,
    bucketMs,
    training: { days: trainingDays, seriesCount: first.seriesCount, validation: first.validation },
    retraining,
    clean: { days: cleanDays, falseAlarms: falseAlarms.length, perDay, perWeek: perDay * 7, incidents: falseAlarms.map(describeIncident) },
    faults,
    audit: { records: auditRecords.length, actions },
    targets: {
      detectedWithinTwoMinutes: faults.every((fault) => fault.detected && (fault.detectionDelayMs ?? Infinity) <= 2 * minuteMs),
      atMostOneFalseAlarmPerWeek: perDay * 7 <= 1,
      remediationRestored: faults.every((fault) => fault.serviceLevel.restored),
    },
  };
}

/**
 * The fault's service level before the fault, between injection and remediation, and from one minute after
 * remediation to the fault's end (the minute lets traffic already in flight drain).
 */
function serviceLevelOf(name: FaultName, recorded: Map<string, Map<number, MinuteFigures>>, start: number, end: number, appliedAt: number | undefined): { preFault: number; beforeRemediation: number; afterRemediation: number; restored: boolean; unit: string } {
  const minuteOf = (atMs: number) => atMs - (atMs % minuteMs);
  const remediatedFrom = appliedAt === undefined ? end : minuteOf(appliedAt) + 2 * minuteMs;
  const windows = { pre: [minuteOf(start) - 30 * minuteMs, minuteOf(start)], before: [minuteOf(start) + minuteMs, appliedAt === undefined ? end : minuteOf(appliedAt)], after: [remediatedFrom, minuteOf(end)] } as const;
  if (name === 'runaway-key') {
    const key = recorded.get('key|key-batch');
    const rate = ([from, until]: readonly [number, number]) => (until > from ? figuresBetween(key, from, until).costMicros / ((until - from) / minuteMs) : Number.NaN);
    const preFault = rate(windows.pre);
    const afterRemediation = rate(windows.after);
    return { preFault, beforeRemediation: rate(windows.before), afterRemediation, restored: afterRemediation <= 2 * preFault, unit: 'micro-dollars per minute' };
  }
  const group = recorded.get('group|chat');
  if (name === 'error-burst') {
    const errorRate = ([from, until]: readonly [number, number]) => {
      const figures = figuresBetween(group, from, until);
      return figures.requests === 0 ? Number.NaN : figures.errors / figures.requests;
    };
    const afterRemediation = errorRate(windows.after);
    return { preFault: errorRate(windows.pre), beforeRemediation: errorRate(windows.before), afterRemediation, restored: afterRemediation <= 0.02, unit: 'error rate' };
  }
  const latency = ([from, until]: readonly [number, number]) => {
    const figures = figuresBetween(group, from, until);
    return figures.okRequests === 0 ? Number.NaN : figures.latencySum / figures.okRequests;
  };
  const preFault = latency(windows.pre);
  const afterRemediation = latency(windows.after);
  return { preFault, beforeRemediation: latency(windows.before), afterRemediation, restored: afterRemediation <= 1.25 * preFault, unit: 'ms mean latency' };
}
