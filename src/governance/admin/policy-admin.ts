import { z } from 'zod';
import { GatewayError } from '../../spec/index.js';
import { policyDefinitionSchema, policyRulesSchema, policyScopeSchema } from '../policy/policy-definition.js';
import type { StoredPolicy } from '../policy/policy-store.js';
import type { AdminCall, AdminDependencies } from './admin-dependencies.js';
import { newDefinitionId } from './admin-ids.js';
import { parseInput } from './admin-input.js';
import { listScope, resolveScope } from './admin-lookups.js';
import type { AdminOperation, AdminScope } from './admin-operation.js';
import { runAdminChange, runAdminRead } from './admin-operation.js';
import { identifierSchema, timestampSchema } from './admin-schemas.js';

export const storedPolicySchema = z.object({
  id: z.string(),
  scope: policyScopeSchema,
  scopeId: z.string(),
  rules: policyRulesSchema,
  organisationId: z.string(),
  workspaceId: z.string().optional(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});

export const createPolicySchema = policyDefinitionSchema.extend({ id: identifierSchema.optional().describe('Chosen by the server when left out.') });

export const updatePolicySchema = z.strictObject({ rules: policyRulesSchema.describe("Replaces the policy's rules.") });

export const listPoliciesQuerySchema = z.strictObject({
  organisationId: identifierSchema.optional().describe("Defaults to the caller's organisation (required with the master key)."),
  workspaceId: identifierSchema.optional().describe("Only the policies of this workspace and its keys; defaults to the caller's workspace."),
  scope: policyScopeSchema.optional(),
  scopeId: identifierSchema.optional(),
});

export async function listPolicies(dependencies: AdminDependencies, call: AdminCall, input: unknown): Promise<StoredPolicy[]> {
  const query = parseInput(listPoliciesQuerySchema, input, 'query');
  return runAdminRead(dependencies, call, 'policies.list', async (operation) => {
    const scope = listScope(call.principal, query.organisationId, query.workspaceId);
    operation.authorise('policies:read', scope, { kind: 'organisation', id: scope.organisationId });
    const policies = await operation.stores.policies.listPolicies({ ...scope, scope: query.scope, scopeId: query.scopeId });
    return policies.filter((policy) => operation.may('policies:read', policyScope(policy)));
  });
}

export async function createPolicy(dependencies: AdminDependencies, call: AdminCall, input: unknown): Promise<StoredPolicy> {
  const body = parseInput(createPolicySchema, input);
  return runAdminChange(dependencies, call, 'policies.create', async (operation) => {
    const id = body.id ?? newDefinitionId('pol');
    const scope = await resolveScope(operation.stores.identity, body.scope, body.scopeId);
    const target = { kind: 'policy', id };
    operation.authorise('policies:write', scope, target);
    const policy: StoredPolicy = { ...body, id, ...scope, createdAt: operation.nowMs, updatedAt: operation.nowMs };
    await operation.stores.policies.createPolicy(policy);
    await operation.record(target, scope, { scope: policy.scope, scopeId: policy.scopeId, rules: policy.rules });
    operation.changed('policies', id);
    return policy;
  });
}

export async function getPolicy(dependencies: AdminDependencies, call: AdminCall, id: string): Promise<StoredPolicy> {
  return runAdminRead(dependencies, call, 'policies.get', async (operation) => requirePolicy(operation, id, 'policies:read'));
}

export async function updatePolicy(dependencies: AdminDependencies, call: AdminCall, id: string, input: unknown): Promise<StoredPolicy> {
  const body = parseInput(updatePolicySchema, input);
  return runAdminChange(dependencies, call, 'policies.update', async (operation) => {
    const policy = await requirePolicy(operation, id, 'policies:write');
    const updated = await operation.stores.policies.updatePolicyRules(id, body.rules, operation.nowMs);
    if (updated === undefined) throw notFound(id);
    await operation.record({ kind: 'policy', id }, policyScope(policy), { rules: body.rules });
    operation.changed('policies', id);
    return updated;
  });
}

export async function deletePolicy(dependencies: AdminDependencies, call: AdminCall, id: string): Promise<{ id: string; deleted: true }> {
  return runAdminChange(dependencies, call, 'policies.delete', async (operation) => {
    const policy = await requirePolicy(operation, id, 'policies:write');
    if (!(await operation.stores.policies.deletePolicy(id))) throw notFound(id);
    await operation.record({ kind: 'policy', id }, policyScope(policy), { scope: policy.scope, scopeId: policy.scopeId });
    operation.changed('policies', id);
    return { id, deleted: true as const };
  });
}

async function requirePolicy(operation: AdminOperation, id: string, action: 'policies:read' | 'policies:write'): Promise<StoredPolicy> {
  const policy = await operation.stores.policies.getPolicy(id);
  if (policy === undefined) throw notFound(id);
  operation.authorise(action, policyScope(policy), { kind: 'policy', id });
  return policy;
}

function policyScope(policy: StoredPolicy): AdminScope {
  return policy.workspaceId === undefined ? { organisationId: policy.organisationId } : { organisationId: policy.organisationId, workspaceId: policy.workspaceId };
}

function notFound(id: string): GatewayError {
  return new GatewayError('not_found', `No policy with id ${id}`, { param: 'id' });
}
