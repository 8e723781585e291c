import { randomUUID } from 'node:crypto';

/** A CloudEvents 1.0 event in the JSON format (structured mode), with JSON data. */
export interface CloudEvent<Data = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  datacontenttype: 'application/json';
  subject?: string;
  data: Data;
}

/** The media type of a structured-mode CloudEvent over HTTP. */
export const cloudEventContentType = 'application/cloudevents+json; charset=utf-8';

/** The event types Switchyard emits (reverse-DNS, as the spec recommends). */
export const cloudEventTypes = {
  requestCompleted: 'dev.switchyard.request.completed',
  alertFiring: 'dev.switchyard.alert.firing',
  alertResolved: 'dev.switchyard.alert.resolved',
  budgetThresholdCrossed: 'dev.switchyard.budget.threshold_crossed',
  anomalyDetected: 'dev.switchyard.anomaly.detected',
} as const;

/** The NATS subjects events are published on (all under `llm.>`, which the JetStream stream covers). */
export const eventSubjects = {
  requests: 'llm.requests',
  anomalies: 'llm.anomalies',
  budgetAlerts: 'llm.governance.budget-alert',
  alerts: 'llm.alerts',
} as const;

/** Builds an event; `id` defaults to a new UUID and `time` to `atMs`. */
export function cloudEvent<Data>(fields: { source: string; type: string; atMs: number; data: Data; subject?: string; id?: string }): CloudEvent<Data> {
  return {
    specversion: '1.0',
    id: fields.id ?? randomUUID(),
    source: fields.source,
    type: fields.type,
    time: new Date(fields.atMs).toISOString(),
    datacontenttype: 'application/json',
    ...(fields.subject === undefined ? {} : { subject: fields.subject }),
    data: fields.data,
  };
}
