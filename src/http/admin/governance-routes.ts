import { mintAgentToken, mintAgentTokenSchema, mintedAgentTokenSchema } from '../../governance/admin/agent-token-admin.js';
import { deletedSchema, listOf } from '../../governance/admin/admin-schemas.js';
import * as audit from '../../governance/admin/audit-admin.js';
import * as budgets from '../../governance/admin/budget-admin.js';
import * as policies from '../../governance/admin/policy-admin.js';
import * as secrets from '../../governance/admin/secret-admin.js';
import type { AdminRoute } from './admin-route.js';

const base = '/admin/v1';

/** Budgets, policies, secrets, the audit log and agent tokens. */
export const governanceRoutes: AdminRoute[] = [
  { method: 'GET', path: `${base}/budgets`, operationId: 'listBudgets', summary: 'List budgets with their current spend', tag: 'budgets', level: 'workspace', query: budgets.listBudgetsQuerySchema, response: listOf(budgets.budgetViewSchema), successStatus: 200, handle: (d, call, input) => budgets.listBudgets(d, call, input.query) },
  { method: 'POST', path: `${base}/budgets`, operationId: 'createBudget', summary: 'Create a budget (integer micro-dollars per day, week or month)', tag: 'budgets', level: 'workspace', body: budgets.createBudgetSchema, response: budgets.budgetViewSchema, successStatus: 201, handle: (d, call, input) => budgets.createBudget(d, call, input.body) },
  { method: 'GET', path: `${base}/budgets/{budgetId}`, operationId: 'getBudget', summary: 'Get a budget with its current spend', tag: 'budgets', level: 'workspace', response: budgets.budgetViewSchema, successStatus: 200, handle: (d, call, input) => budgets.getBudget(d, call, input.params.budgetId) },
  { method: 'PATCH', path: `${base}/budgets/{budgetId}`, operationId: 'updateBudget', summary: "Change a budget's limit or thresholds", tag: 'budgets', level: 'workspace', body: budgets.updateBudgetSchema, response: budgets.budgetViewSchema, successStatus: 200, handle: (d, call, input) => budgets.updateBudget(d, call, input.params.budgetId, input.body) },
  { method: 'DELETE', path: `${base}/budgets/{budgetId}`, operationId: 'deleteBudget', summary: 'Delete a budget', tag: 'budgets', level: 'workspace', response: deletedSchema, successStatus: 200, handle: (d, call, input) => budgets.deleteBudget(d, call, input.params.budgetId) },

  { method: 'GET', path: `${base}/policies`, operationId: 'listPolicies', summary: 'List policies', tag: 'policies', level: 'workspace', query: policies.listPoliciesQuerySchema, response: listOf(policies.storedPolicySchema), successStatus: 200, handle: (d, call, input) => policies.listPolicies(d, call, input.query) },
  { method: 'POST', path: `${base}/policies`, operationId: 'createPolicy', summary: 'Create a policy', tag: 'policies', level: 'workspace', body: policies.createPolicySchema, response: policies.storedPolicySchema, successStatus: 201, handle: (d, call, input) => policies.createPolicy(d, call, input.body) },
  { method: 'GET', path: `${base}/policies/{policyId}`, operationId: 'getPolicy', summary: 'Get a policy', tag: 'policies', level: 'workspace', response: policies.storedPolicySchema, successStatus: 200, handle: (d, call, input) => policies.getPolicy(d, call, input.params.policyId) },
  { method: 'PATCH', path: `${base}/policies/{policyId}`, operationId: 'updatePolicy', summary: "Replace a policy's rules", tag: 'policies', level: 'workspace', body: policies.updatePolicySchema, response: policies.storedPolicySchema, successStatus: 200, handle: (d, call, input) => policies.updatePolicy(d, call, input.params.policyId, input.body) },
  { method: 'DELETE', path: `${base}/policies/{policyId}`, operationId: 'deletePolicy', summary: 'Delete a policy', tag: 'policies', level: 'workspace', response: deletedSchema, successStatus: 200, handle: (d, call, input) => policies.deletePolicy(d, call, input.params.policyId) },

  { method: 'GET', path: `${base}/secrets`, operationId: 'listSecrets', summary: "List an organisation's secrets (names and field names, never values)", tag: 'secrets', level: 'organisation', query: secrets.secretQuerySchema, response: listOf(secrets.secretDescriptorSchema), successStatus: 200, handle: (d, call, input) => secrets.listSecrets(d, call, input.query) },
  { method: 'POST', path: `${base}/secrets`, operationId: 'putSecret', summary: 'Create or replace a secret from fields (stored encrypted)', tag: 'secrets', level: 'organisation', body: secrets.putSecretSchema, response: secrets.secretDescriptorSchema, successStatus: 200, handle: (d, call, input) => secrets.putSecret(d, call, input.body) },
  { method: 'GET', path: `${base}/secrets/{secretName}`, operationId: 'describeSecret', summary: 'Describe a secret (never its values)', tag: 'secrets', level: 'organisation', query: secrets.secretQuerySchema, response: secrets.secretDescriptorSchema, successStatus: 200, handle: (d, call, input) => secrets.describeSecret(d, call, input.params.secretName, input.query) },
  { method: 'DELETE', path: `${base}/secrets/{secretName}`, operationId: 'deleteSecret', summary: 'Delete a secret', tag: 'secrets', level: 'organisation', query: secrets.secretQuerySchema, response: deletedSchema, successStatus: 200, handle: (d, call, input) => secrets.deleteSecret(d, call, input.params.secretName, input.query) },

  { method: 'GET', path: `${base}/audit`, operationId: 'listAudit', summary: 'Audit records, newest first', tag: 'audit', level: 'organisation', query: audit.listAuditQuerySchema, response: listOf(audit.auditRecordSchema), successStatus: 200, handle: (d, call, input) => audit.listAudit(d, call, input.query) },
  { method: 'POST', path: `${base}/audit/verify`, operationId: 'verifyAudit', summary: "Verify the audit log's hash chain", tag: 'audit', level: 'organisation', response: audit.auditVerificationSchema, successStatus: 200, handle: (d, call) => audit.verifyAudit(d, call) },

  { method: 'POST', path: `${base}/agent-tokens`, operationId: 'mintAgentToken', summary: 'Mint a short-lived agent token narrowed from the caller', tag: 'agent-tokens', level: 'workspace', body: mintAgentTokenSchema, response: mintedAgentTokenSchema, successStatus: 201, handle: (d, call, input) => mintAgentToken(d, call, input.body) },
];
