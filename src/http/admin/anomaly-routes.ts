import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AnomalyAdministration } from '../../compose-anomaly.js';
import type { AdminCall, AdminDependencies } from '../../governance/admin/admin-dependencies.js';
import { auditActor, runAdminRead, type AdminOperation } from '../../governance/admin/admin-operation.js';
import { listOf } from '../../governance/admin/admin-schemas.js';
import type { Principal } from '../../governance/principal.js';
import { toInvalidRequestError } from '../../kit/validation-error.js';
import { anomalyModelSummarySchema } from '../../sentinel/anomaly/anomaly-model-store.js';
import { incidentSchema } from '../../sentinel/anomaly/incident.js';
import { remediationSchema } from '../../sentinel/anomaly/remediation-engine.js';
import { answerAdminCall, registerAdminScope } from './admin-call-answer.js';
import { documented } from './admin-route.js';

/** What the anomaly routes need from the composition root. */
export interface AnomalyRouteDependencies extends AdminDependencies {
  authenticate(presentedKey: string | undefined): Principal | Promise<Principal>;
  anomaly: AnomalyAdministration;
}

const base = '/admin/v1/anomalies';
const rollbackSchema = z.strictObject({ versionId: z.string().min(1).optional() });

/**
 * Reads are for anyone who may read alerts in their organisation: anomalies concern the whole gateway. Acting
 * (approving, rejecting, retraining, rolling back) changes routing for everyone, so only the master key may.
 */
function authoriseRead(operation: AdminOperation): void {
  if (operation.principal.kind === 'master') return;
  operation.authorise('alerts:read', { organisationId: operation.principal.organisationId }, { kind: 'anomaly', id: '*' });
}

function authoriseAct(operation: AdminOperation, target: { kind: string; id: string }): void {
  if (operation.principal.kind !== 'master') operation.deny('Only the master key may act on anomaly remediation, which changes routing for the whole gateway.', { organisationId: operation.principal.organisationId }, target);
}

/**
 * Mounts the anomaly routes of the admin API (docs/anomaly-detection.md): incidents with their evidence,
 * remediations and their approval, and the detector's model versions (retrain, roll back).
 */
export function registerAnomalyRoutes(app: FastifyInstance, dependencies: AnomalyRouteDependencies): void {
  const { anomaly } = dependencies;
  // Authorisation runs in the admin unit of work (a refusal is audited); the work itself runs after it, on
  // its own connections (SQLite has one: a read inside the unit of work's transaction would wait forever).
  const read = (action: string, work: () => unknown) => (request: FastifyRequest, reply: FastifyReply) =>
    answer(request, reply, dependencies, 200, async (call) => {
      await runAdminRead(dependencies, call, action, async (operation) => authoriseRead(operation));
      return work();
    });
  const act = (action: string, work: (request: FastifyRequest, actor: ReturnType<typeof auditActor>) => Promise<unknown>) => (request: FastifyRequest, reply: FastifyReply) =>
    answer(request, reply, dependencies, 200, async (call) => {
      await runAdminRead(dependencies, call, action, async (operation) => authoriseAct(operation, { kind: 'anomaly', id: (request.params as { id?: string }).id ?? '*' }));
      return work(request, auditActor(call.principal));
    });

  // Each route documents itself (`documented`): the admin OpenAPI document lists it with these schemas.
  const common = { tag: 'anomalies', level: 'organisation', successStatus: 200 } as const;
  registerAdminScope(app, (scope) => {
    scope.get(base, documented({ ...common, method: 'GET', path: base, operationId: 'listAnomalies', summary: 'Open and recently cleared anomaly incidents with their evidence and root-cause hint, newest first', response: listOf(incidentSchema) }), read('anomalies.list', () => anomaly.sentinel.incidents()));
    scope.get(`${base}/remediations`, documented({ ...common, method: 'GET', path: `${base}/remediations`, operationId: 'listAnomalyRemediations', summary: 'Pending, active and recently finished remediations of anomaly incidents, newest first', response: listOf(remediationSchema) }), read('anomalies.remediations.list', () => anomaly.remediation.list()));
    scope.get(`${base}/models`, documented({ ...common, method: 'GET', path: `${base}/models`, operationId: 'listAnomalyModels', summary: "The anomaly detectors' model versions with their validation, newest first", response: listOf(anomalyModelSummarySchema) }), read('anomalies.models.list', () => anomaly.models.list()));
    scope.post(`${base}/remediations/:id/approve`, documented({ ...common, method: 'POST', path: `${base}/remediations/{id}/approve`, operationId: 'approveAnomalyRemediation', summary: 'Approve a pending remediation: it is applied at once (master key)', response: remediationSchema }), act('anomalies.remediations.approve', (request, actor) => anomaly.remediation.approve((request.params as { id: string }).id, actor, anomaly.now())));
    scope.post(`${base}/remediations/:id/reject`, documented({ ...common, method: 'POST', path: `${base}/remediations/{id}/reject`, operationId: 'rejectAnomalyRemediation', summary: 'Reject a pending remediation: nothing is applied (master key)', response: remediationSchema }), act('anomalies.remediations.reject', (request, actor) => anomaly.remediation.reject((request.params as { id: string }).id, actor, anomaly.now())));
    scope.post(`${base}/models/retrain`, documented({ ...common, method: 'POST', path: `${base}/models/retrain`, operationId: 'retrainAnomalyModel', summary: 'Train and validate a model version now; it becomes active when accepted (master key)', response: anomalyModelSummarySchema }), act('anomalies.models.retrain', async () => summaryOf(await anomaly.trainer.retrain())));
    scope.post(`${base}/models/rollback`, documented({ ...common, method: 'POST', path: `${base}/models/rollback`, operationId: 'rollbackAnomalyModel', summary: 'Activate an earlier accepted model version (by default the one before the active one; master key)', body: rollbackSchema, response: anomalyModelSummarySchema }), act('anomalies.models.rollback', async (request) => {
      const parsed = rollbackSchema.safeParse(request.body ?? {});
      if (!parsed.success) throw toInvalidRequestError(parsed.error);
      return summaryOf(await anomaly.trainer.rollback(parsed.data.versionId));
    }));
  });
}

function summaryOf<T extends { model: unknown }>(version: T): Omit<T, 'model'> {
  const { model: _model, ...summary } = version;
  return summary;
}

function answer(request: FastifyRequest, reply: FastifyReply, dependencies: AnomalyRouteDependencies, status: number, run: (call: AdminCall) => Promise<unknown>): Promise<FastifyReply> {
  return answerAdminCall(request, reply, (key) => dependencies.authenticate(key), run, () => status);
}
