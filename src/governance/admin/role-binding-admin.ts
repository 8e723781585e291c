import { z } from 'zod';
import { GatewayError } from '../../spec/index.js';
import type { RoleBinding } from '../identity/identity-types.js';
import { newId } from '../identity/virtual-key-material.js';
import type { AdminCall, AdminDependencies } from './admin-dependencies.js';
import { parseInput } from './admin-input.js';
import { listScope, requireWorkspace } from './admin-lookups.js';
import type { AdminOperation, AdminScope } from './admin-operation.js';
import { runAdminChange, runAdminRead } from './admin-operation.js';
import { identifierSchema, organisationIdQuerySchema, roleSchema, timestampSchema } from './admin-schemas.js';

const subjectSchema = z.strictObject({ kind: z.enum(['user', 'service-account']), id: identifierSchema });

export const roleBindingSchema = z.object({
  id: z.string(),
  subject: z.object({ kind: z.enum(['user', 'service-account']), id: z.string() }),
  role: roleSchema,
  scope: z.union([
    z.object({ kind: z.literal('organisation'), organisationId: z.string() }),
    z.object({ kind: z.literal('workspace'), organisationId: z.string(), workspaceId: z.string() }),
  ]),
  createdAt: timestampSchema,
});

export const createRoleBindingSchema = z.strictObject({
  subject: subjectSchema,
  role: roleSchema,
  organisationId: identifierSchema,
  workspaceId: identifierSchema.optional().describe('Grants the role in this workspace only; without it, in the whole organisation.'),
});

export const listRoleBindingsQuerySchema = organisationIdQuerySchema;

export const deleteRoleBindingQuerySchema = organisationIdQuerySchema;

export async function listRoleBindings(dependencies: AdminDependencies, call: AdminCall, input: unknown): Promise<RoleBinding[]> {
  const query = parseInput(listRoleBindingsQuerySchema, input, 'query');
  return runAdminRead(dependencies, call, 'role-bindings.list', async (operation) => {
    const scope = listScope(call.principal, query.organisationId);
    operation.authorise('role-bindings:read', scope, { kind: 'organisation', id: scope.organisationId });
    const bindings = await operation.stores.identity.listRoleBindingsInOrganisation(scope.organisationId);
    return bindings.filter((binding) => operation.may('role-bindings:read', bindingScope(binding)));
  });
}

/** Grants a role. Granting a role above the caller's own is refused (and audited) as an escalation. */
export async function createRoleBinding(dependencies: AdminDependencies, call: AdminCall, input: unknown): Promise<RoleBinding> {
  const body = parseInput(createRoleBindingSchema, input);
  return runAdminChange(dependencies, call, 'role-bindings.create', async (operation) => {
    const { identity } = operation.stores;
    const binding: RoleBinding = {
      id: newId('role-binding'),
      subject: body.subject,
      role: body.role,
      scope: body.workspaceId === undefined ? { kind: 'organisation', organisationId: body.organisationId } : { kind: 'workspace', organisationId: body.organisationId, workspaceId: body.workspaceId },
      createdAt: operation.nowMs,
    };
    const scope = bindingScope(binding);
    const target = { kind: 'role-binding', id: binding.id };
    operation.authorise('role-bindings:write', scope, target);
    refuseEscalation(operation, binding, scope, target);
    const subject = body.subject.kind === 'user' ? await identity.getUser(body.subject.id) : await identity.getServiceAccount(body.subject.id);
    if (subject === undefined || subject.organisationId !== body.organisationId) {
      throw new GatewayError('not_found', `No ${body.subject.kind} with id ${body.subject.id} in organisation ${body.organisationId}`, { param: 'subject.id' });
    }
    if (body.workspaceId !== undefined && (await requireWorkspace(identity, body.workspaceId)).organisationId !== body.organisationId) {
      throw new GatewayError('invalid_request', `workspaceId: workspace ${body.workspaceId} is not in organisation ${body.organisationId}`, { param: 'workspaceId' });
    }
    await identity.createRoleBinding(binding);
    await operation.record(target, scope, { subject: binding.subject, role: binding.role });
    return binding;
  });
}

/** Removes a role. Removing a role above the caller's own is refused like granting it. */
export async function deleteRoleBinding(dependencies: AdminDependencies, call: AdminCall, id: string, input: unknown): Promise<{ id: string; deleted: true }> {
  const query = parseInput(deleteRoleBindingQuerySchema, input, 'query');
  return runAdminChange(dependencies, call, 'role-bindings.delete', async (operation) => {
    const { organisationId } = listScope(call.principal, query.organisationId);
    const bindings = await operation.stores.identity.listRoleBindingsInOrganisation(organisationId);
    const binding = bindings.find((candidate) => candidate.id === id);
    if (binding === undefined) throw new GatewayError('not_found', `No role binding with id ${id} in organisation ${organisationId}`, { param: 'id' });
    const scope = bindingScope(binding);
    const target = { kind: 'role-binding', id };
    operation.authorise('role-bindings:write', scope, target);
    refuseEscalation(operation, binding, scope, target);
    await operation.stores.identity.deleteRoleBinding(id);
    await operation.record(target, scope, { subject: binding.subject, role: binding.role });
    return { id, deleted: true as const };
  });
}

function refuseEscalation(operation: AdminOperation, binding: RoleBinding, scope: AdminScope, target: { kind: string; id: string }): void {
  if (!operation.canGrantRole(binding.role, scope)) {
    operation.deny(`Role escalation: a caller with role ${operation.principal.role} cannot grant or remove the role ${binding.role}`, scope, target);
  }
}

function bindingScope(binding: RoleBinding): AdminScope {
  return binding.scope.kind === 'organisation' ? { organisationId: binding.scope.organisationId } : { organisationId: binding.scope.organisationId, workspaceId: binding.scope.workspaceId };
}
