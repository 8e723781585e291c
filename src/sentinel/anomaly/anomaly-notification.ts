import type { Notification } from '../../observatory/events/notification.js';
import { cloudEvent } from '../../observatory/events/cloud-event.js';
import type { Incident, IncidentChange } from './incident.js';

/** CloudEvent types of anomalies (`dev.switchyard.anomaly.detected` is the observatory's own name for it). */
export const anomalyEventTypes = {
  detected: 'dev.switchyard.anomaly.detected',
  cleared: 'dev.switchyard.anomaly.cleared',
} as const;

function describe(incident: Incident): string {
  const evidence = incident.evidence[0];
  const last = evidence?.points[evidence.points.length - 1];
  const metric = evidence === undefined ? 'traffic' : evidence.metric.replace(/_/g, ' ');
  const figures = last === undefined ? '' : `: ${round(last.value)} against a baseline of ${round(last.baseline)} (band up to ${round(last.upper)})`;
  return `${incident.dimension} ${incident.subject}: ${metric} anomalous${figures}. ${incident.hint.summary}`;
}

function round(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

/**
 * The notification of an incident opening or clearing: CloudEvent data `{incident}` (its evidence: series,
 * baseline, band; and root-cause hint) and a text for people, for webhooks, chat channels and NATS.
 */
export function anomalyNotification(change: IncidentChange, source: string): Notification {
  const { incident } = change;
  const detected = change.kind !== 'cleared';
  return {
    event: cloudEvent({ source, type: detected ? anomalyEventTypes.detected : anomalyEventTypes.cleared, atMs: detected ? incident.detectedAt : (incident.clearedAt ?? incident.detectedAt), subject: incident.id, data: { incident } }),
    kind: detected ? 'anomaly.detected' : 'anomaly.cleared',
    title: `[${detected ? 'ANOMALY' : 'CLEARED'}] ${incident.dimension} ${incident.subject}`,
    text: detected ? describe(incident) : `Cleared: ${describe(incident)}`,
    fields: [
      ['Severity', incident.severity],
      ['Subject', `${incident.dimension} ${incident.subject}`],
      ['Series', incident.evidence.map((each) => each.series).join(', ')],
      ['Root cause', `${incident.hint.dimension} ${incident.hint.value} (${Math.round(incident.hint.share * 100)} %)`],
      ['Incident', incident.id],
    ],
  };
}
