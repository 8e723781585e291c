import { deletedSchema, listOf } from '../../governance/admin/admin-schemas.js';
import * as alerts from '../../observatory/alerts/alert-rule-admin.js';
import type { AdminRoute } from './admin-route.js';

const base = '/admin/v1/alert-rules';
const of = alerts.alertAdminDependenciesOf;

/** Alert rules and the history of alerts (the evaluation itself runs in the observatory). */
export const alertRoutes: AdminRoute[] = [
  { method: 'GET', path: base, operationId: 'listAlertRules', summary: 'List alert rules', tag: 'alerts', level: 'workspace', query: alerts.listAlertRulesQuerySchema, response: listOf(alerts.alertRuleSchema), successStatus: 200, handle: (d, call, input) => alerts.listAlertRules(of(d), call, input.query) },
  { method: 'POST', path: base, operationId: 'createAlertRule', summary: 'Create an alert rule (cost, spend rate, budget threshold, error rate, latency, time to first token, request count)', tag: 'alerts', level: 'workspace', body: alerts.createAlertRuleSchema, response: alerts.alertRuleSchema, successStatus: 201, handle: (d, call, input) => alerts.createAlertRule(of(d), call, input.body) },
  { method: 'GET', path: `${base}/{ruleId}`, operationId: 'getAlertRule', summary: 'Get an alert rule', tag: 'alerts', level: 'workspace', response: alerts.alertRuleSchema, successStatus: 200, handle: (d, call, input) => alerts.getAlertRule(of(d), call, input.params.ruleId) },
  { method: 'PATCH', path: `${base}/{ruleId}`, operationId: 'updateAlertRule', summary: 'Change an alert rule', tag: 'alerts', level: 'workspace', body: alerts.updateAlertRuleSchema, response: alerts.alertRuleSchema, successStatus: 200, handle: (d, call, input) => alerts.updateAlertRule(of(d), call, input.params.ruleId, input.body) },
  { method: 'DELETE', path: `${base}/{ruleId}`, operationId: 'deleteAlertRule', summary: 'Delete an alert rule (its firing alerts resolve)', tag: 'alerts', level: 'workspace', response: deletedSchema, successStatus: 200, handle: (d, call, input) => alerts.deleteAlertRule(of(d), call, input.params.ruleId) },
  { method: 'GET', path: '/admin/v1/alerts', operationId: 'listAlerts', summary: 'List alerts (firing and resolved), newest first', tag: 'alerts', level: 'workspace', query: alerts.listAlertsQuerySchema, response: alerts.alertListSchema, successStatus: 200, handle: (d, call, input) => alerts.listAlerts(of(d), call, input.query) },
];
