import { describe, expect, it } from 'vitest';
import { cloudEventErrors } from '../../observatory/events/test-support/cloud-event-validator.js';
import { AnomalyMonitor } from './anomaly-monitor.js';
import { anomalyNotification } from './anomaly-notification.js';
import { detectorSettings } from './detector-settings.js';
import type { SubjectInfo } from './series-aggregator.js';
import type { SeriesPoint } from './series.js';

const bucketMs = 30_000;
const settings = detectorSettings({ bucketMs, warmupBuckets: 10 });
const start = Date.UTC(2026, 0, 7, 10);
const subjects = new Map<string, SubjectInfo>([
  ['team|team_a', { dimension: 'team', subject: 'team_a' }],
  ['key|key_quiet', { dimension: 'key', subject: 'key_quiet', teamId: 'team_a' }],
  ['key|key_loud', { dimension: 'key', subject: 'key_loud', teamId: 'team_a' }],
  ['deployment|dep_a', { dimension: 'deployment', subject: 'dep_a', provider: 'upstream', model: 'model-x' }],
]);

function bucket(index: number, loud: number, errors: { timeout: number; unavailable: number }): SeriesPoint[] {
  const bucketStart = start + index * bucketMs;
  const point = (series: string, value: number, samples: number) => ({ series, bucketStart, value, samples });
  const requests = 100;
  return [
    point('request_rate|key|key_quiet', 10 + (index % 3), 10),
    point('request_rate|key|key_loud', loud, loud),
    point('request_rate|team|team_a', 10 + (index % 3) + loud, 10 + loud),
    point('error_rate|deployment|dep_a', (errors.timeout + errors.unavailable) / requests, requests),
    point('error_rate|deployment|dep_a|upstream_timeout', errors.timeout / requests, requests),
    point('error_rate|deployment|dep_a|upstream_unavailable', errors.unavailable / requests, requests),
  ];
}

describe('AnomalyMonitor', () => {
  it('opens one incident per subject, with evidence and a root-cause hint, and clears it when the series calm down', () => {
    let next = 0;
    const monitor = new AnomalyMonitor({ settings, newId: () => `anm_${++next}` });
    for (let index = 0; index < 40; index += 1) expect(monitor.observeBucket(start + index * bucketMs, bucket(index, 12 + (index % 2), { timeout: index % 20 === 0 ? 1 : 0, unavailable: 0 }), subjects)).toEqual([]);
    const changes = [40, 41].flatMap((index) => monitor.observeBucket(start + index * bucketMs, bucket(index, 120, { timeout: 1, unavailable: 30 }), subjects));
    const opened = Object.fromEntries(changes.filter((change) => change.kind === 'opened').map((change) => [`${change.incident.dimension}|${change.incident.subject}`, change.incident]));
    expect(Object.keys(opened).sort()).toEqual(['deployment|dep_a', 'key|key_loud', 'team|team_a']);
    expect(opened['deployment|dep_a'].hint).toMatchObject({ dimension: 'error_code', value: 'upstream_unavailable' });
    expect(opened['deployment|dep_a'].attributes).toEqual({ provider: 'upstream', model: 'model-x' });
    expect(opened['team|team_a'].hint).toMatchObject({ dimension: 'key', value: 'key_loud' });
    expect(opened['team|team_a'].hint.share).toBeGreaterThan(0.9);
    expect(opened['key|key_loud'].baselineRequestsPerBucket).toBeGreaterThan(10);
    const evidence = opened['key|key_loud'].evidence[0];
    expect(evidence).toMatchObject({ series: 'request_rate|key|key_loud', metric: 'request_rate', reason: 'persistence' });
    const last = evidence.points[evidence.points.length - 1];
    expect(last.value).toBe(120);
    expect(last.upper).toBeGreaterThan(last.baseline);
    expect(last.value).toBeGreaterThan(last.upper);

    const cleared = [];
    for (let index = 42; index < 60; index += 1) cleared.push(...monitor.observeBucket(start + index * bucketMs, bucket(index, 12, { timeout: 0, unavailable: 0 }), subjects).filter((change) => change.kind === 'cleared'));
    expect(cleared.map((change) => change.incident.id).sort()).toEqual(Object.values(opened).map((incident) => incident.id).sort());
    expect(monitor.openIncidents()).toEqual([]);
  });

  it('turns an incident into a valid CloudEvent and a message for people', () => {
    let next = 0;
    const monitor = new AnomalyMonitor({ settings, newId: () => `anm_${++next}` });
    for (let index = 0; index < 40; index += 1) monitor.observeBucket(start + index * bucketMs, bucket(index, 12, { timeout: 0, unavailable: 0 }), subjects);
    const change = [40, 41].flatMap((index) => monitor.observeBucket(start + index * bucketMs, bucket(index, 120, { timeout: 0, unavailable: 0 }), subjects)).find((each) => each.incident.subject === 'key_loud');
    const notification = anomalyNotification(change!, '/switchyard');
    expect(cloudEventErrors(notification.event)).toEqual([]);
    expect(notification.event).toMatchObject({ type: 'dev.switchyard.anomaly.detected', subject: change!.incident.id, data: { incident: { subject: 'key_loud' } } });
    expect(notification.kind).toBe('anomaly.detected');
    expect(notification.title).toBe('[ANOMALY] key key_loud');
    expect(notification.text).toContain('request rate anomalous: 120 against a baseline of');
  });
});
