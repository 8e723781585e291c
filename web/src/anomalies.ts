/**
 * The shapes of the anomaly admin API (`/admin/v1/anomalies`, docs/anomaly-detection.md) and how the dashboard
 * words them. Incidents are the server's own types (type-only, nothing is bundled); remediations and model
 * versions are written out here because their server modules pull in Node-only code.
 */
import type { EvidencePoint, Incident, SeriesEvidence } from '../../src/sentinel/anomaly/incident.js';
import type { RemediationAction } from '../../src/sentinel/anomaly/remediation-actions.js';
import type { SeriesMetric } from '../../src/sentinel/anomaly/series.js';
import { formatCount, formatMoney, formatMs } from './format.js';

export type { EvidencePoint, Incident, RemediationAction, SeriesEvidence };

export const anomaliesPath = '/admin/v1/anomalies';

/** One remediation of an incident (`GET /admin/v1/anomalies/remediations`). */
export interface Remediation {
  id: string;
  incidentId: string;
  policy: string;
  action: RemediationAction;
  state: 'pending-approval' | 'active' | 'probing' | 'undone' | 'rejected' | 'expired' | 'failed';
  approvalReason?: string;
  createdAt: number;
  appliedAt?: number;
  undoneAt?: number;
  /** `kind:id` of the person who approved or rejected it. */
  decidedBy?: string;
  probeAt?: number;
  holdMs?: number;
  error?: string;
}

/** One version of the detectors' model (`GET /admin/v1/anomalies/models`). */
export interface AnomalyModelSummary {
  id: string;
  version: number;
  status: 'active' | 'inactive' | 'rejected';
  createdAt: number;
  trainedFrom: number;
  trainedUntil: number;
  seriesCount: number;
  validation: {
    heldOutFrom: number;
    heldOutUntil: number;
    falseAlarms: number;
    allowedFalseAlarms: number;
    previousFalseAlarms?: number;
    accepted: boolean;
    reason?: string;
  };
  activatedAt?: number;
}

/** Open incidents first, then the newest. */
export function sortIncidents(incidents: readonly Incident[]): Incident[] {
  return [...incidents].sort((left, right) => Number(right.state === 'open') - Number(left.state === 'open') || right.detectedAt - left.detectedAt);
}

const metricLabels: Record<SeriesMetric, string> = {
  latency: 'latency',
  time_to_first_token: 'time to first token',
  error_rate: 'error rate',
  spend_rate: 'spend per bucket',
  token_rate: 'tokens per bucket',
  request_rate: 'requests per bucket',
};

/** A series in words: `error rate (code rate_limited)`. */
export function seriesLabel(evidence: Pick<SeriesEvidence, 'metric' | 'errorCode'>): string {
  const label = metricLabels[evidence.metric];
  return evidence.errorCode === undefined ? label : `${label} (code ${evidence.errorCode})`;
}

/** How a metric's values read: ms, a percentage, money (micro-dollars) or a count. */
export function metricFormat(metric: SeriesMetric): (value: number) => string {
  switch (metric) {
    case 'latency':
    case 'time_to_first_token':
      return formatMs;
    case 'error_rate':
      return (value) => `${(100 * value).toFixed(value !== 0 && value < 0.1 ? 1 : 0)} %`;
    case 'spend_rate':
      return formatMoney;
    case 'token_rate':
    case 'request_rate':
      return (value) => formatCount(Math.round(value));
  }
}

/** The series an incident is mostly about: the first all-codes series (per-code error series only explain). */
export function leadingEvidence(incident: Incident): SeriesEvidence | undefined {
  return incident.evidence.find((evidence) => evidence.errorCode === undefined) ?? incident.evidence[0];
}

/** The subject in words: `deployment openai-main (openai, gpt-4o-mini)`. */
export function subjectLabel(incident: Incident): string {
  const details = [incident.attributes.provider, incident.attributes.model, incident.attributes.teamId === undefined ? undefined : `team ${incident.attributes.teamId}`].filter((each) => each !== undefined);
  return `${incident.dimension} ${incident.subject}${details.length === 0 ? '' : ` (${details.join(', ')})`}`;
}

/** An action in words: `open the circuit of deployment flaky-main`. */
export function actionLabel(action: RemediationAction): string {
  switch (action.kind) {
    case 'open-circuit':
      return `open the circuit of deployment ${action.deploymentId}`;
    case 'shift-weight':
      return `shift routing weight of deployment ${action.deploymentId} to ${Math.round(action.factor * 100)} %`;
    case 'throttle-key':
      return `throttle key ${action.keyId} to ${action.requestsPerMinute} requests per minute`;
  }
}
