import type { Command } from 'commander';
import type { Incident } from '../sentinel/anomaly/incident.js';
import type { AnomalyModelSummary } from '../sentinel/anomaly/anomaly-model-store.js';
import type { Remediation } from '../sentinel/anomaly/remediation-engine.js';
import { adminList, adminPost } from './admin-http.js';
import { adminAction, withAdminOptions } from './admin-session.js';
import { formatList, type TableColumn } from './table.js';

const time = (atMs: number | undefined) => (atMs === undefined ? '-' : new Date(atMs).toISOString().replace('T', ' ').slice(0, 19));

const incidentColumns: Array<TableColumn<Incident>> = [
  { header: 'id', cell: (incident) => incident.id },
  { header: 'subject', cell: (incident) => `${incident.dimension} ${incident.subject}` },
  { header: 'state', cell: (incident) => incident.state },
  { header: 'severity', cell: (incident) => incident.severity },
  { header: 'detected', cell: (incident) => time(incident.detectedAt) },
  { header: 'series', cell: (incident) => incident.evidence.map((each) => each.metric).join(',') },
  { header: 'root cause', cell: (incident) => incident.hint.summary },
];

const remediationColumns: Array<TableColumn<Remediation>> = [
  { header: 'id', cell: (remediation) => remediation.id },
  { header: 'incident', cell: (remediation) => remediation.incidentId },
  { header: 'action', cell: (remediation) => Object.values(remediation.action).join(' ') },
  { header: 'state', cell: (remediation) => remediation.state },
  { header: 'why approval', cell: (remediation) => remediation.approvalReason ?? '' },
];

const modelColumns: Array<TableColumn<AnomalyModelSummary>> = [
  { header: 'version', cell: (model) => String(model.version), alignRight: true },
  { header: 'id', cell: (model) => model.id },
  { header: 'status', cell: (model) => model.status },
  { header: 'series', cell: (model) => String(model.seriesCount), alignRight: true },
  { header: 'held-out alarms', cell: (model) => `${model.validation.falseAlarms} (${model.validation.allowedFalseAlarms.toFixed(2)} allowed)` },
  { header: 'created', cell: (model) => time(model.createdAt) },
];

/**
 * `switchyard anomalies [list|remediations|approve|reject|models|retrain|rollback]`: incidents the anomaly
 * detectors raised, their remediation (approve the ones waiting for a person) and the detector's model versions.
 */
export function registerAnomalyCommands(program: Command): void {
  const anomalies = program.command('anomalies').description('anomaly incidents, their remediation and the detector model versions (admin API)');

  withAdminOptions(anomalies.command('list', { isDefault: true }).description('open and recently cleared incidents (the default)')).action(
    adminAction(async (session) => {
      const incidents = await adminList<Incident>(session.connection, '/admin/v1/anomalies');
      session.print(incidents, () => formatList(incidentColumns, incidents, 'No anomalies.'));
    }),
  );
  withAdminOptions(anomalies.command('remediations').description('pending, active and recent remediations')).action(
    adminAction(async (session) => {
      const remediations = await adminList<Remediation>(session.connection, '/admin/v1/anomalies/remediations');
      session.print(remediations, () => formatList(remediationColumns, remediations, 'No remediations.'));
    }),
  );
  for (const verb of ['approve', 'reject'] as const) {
    withAdminOptions(anomalies.command(`${verb} <remediation>`).description(`${verb} a remediation waiting for a person (master key)`)).action(
      adminAction(async (session, _options, [id]) => {
        const decided = await adminPost<Remediation>(session.connection, `/admin/v1/anomalies/remediations/${encodeURIComponent(id)}/${verb}`);
        session.print(decided, () => `Remediation ${decided.id} is now ${decided.state}\n`);
      }),
    );
  }
  withAdminOptions(anomalies.command('models').description('the detector model versions, newest first')).action(
    adminAction(async (session) => {
      const models = await adminList<AnomalyModelSummary>(session.connection, '/admin/v1/anomalies/models');
      session.print(models, () => formatList(modelColumns, models, 'No model trained yet.'));
    }),
  );
  withAdminOptions(anomalies.command('retrain').description('train and validate a model version now (master key)')).action(
    adminAction(async (session) => {
      const model = await adminPost<AnomalyModelSummary>(session.connection, '/admin/v1/anomalies/models/retrain');
      session.print(model, () => `Version ${model.version} ${model.status}${model.validation.reason === undefined ? '' : `: ${model.validation.reason}`}\n`);
    }),
  );
  withAdminOptions(anomalies.command('rollback [version-id]').description('make an earlier accepted version active (default: the one before the active one; master key)')).action(
    adminAction(async (session, _options, [versionId]) => {
      const model = await adminPost<AnomalyModelSummary>(session.connection, '/admin/v1/anomalies/models/rollback', versionId === undefined ? {} : { versionId });
      session.print(model, () => `Version ${model.version} is active\n`);
    }),
  );
}
