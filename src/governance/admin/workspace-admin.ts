import { z } from 'zod';
import { GatewayError } from '../../spec/index.js';
import type { Workspace } from '../identity/identity-types.js';
import { newId } from '../identity/virtual-key-material.js';
import type { AdminCall, AdminDependencies } from './admin-dependencies.js';
import { parseInput } from './admin-input.js';
import { listScope, requireOrganisation, requireWorkspace } from './admin-lookups.js';
import { runAdminChange, runAdminRead } from './admin-operation.js';
import { identifierSchema, llmSettingsSchema, nameSchema, organisationIdQuerySchema, timestampSchema } from './admin-schemas.js';

export const workspaceSchema = z.object({ id: z.string(), organisationId: z.string(), name: z.string(), llm: llmSettingsSchema, createdAt: timestampSchema });

export const createWorkspaceSchema = z.strictObject({
  organisationId: identifierSchema,
  name: nameSchema.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only (it is used on the command line)'),
  llm: llmSettingsSchema.optional(),
});

export const updateWorkspaceSchema = z.strictObject({ llm: llmSettingsSchema.describe("Replaces the workspace's model overrides.") });

export const listWorkspacesQuerySchema = organisationIdQuerySchema;

/** The workspaces of an organisation the caller may read. */
export async function listWorkspaces(dependencies: AdminDependencies, call: AdminCall, input: unknown): Promise<Workspace[]> {
  const query = parseInput(listWorkspacesQuerySchema, input, 'query');
  return runAdminRead(dependencies, call, 'workspaces.list', async (operation) => {
    const scope = listScope(call.principal, query.organisationId);
    operation.authorise('workspaces:read', scope, { kind: 'organisation', id: scope.organisationId });
    const workspaces = await operation.stores.identity.listWorkspaces(scope.organisationId);
    return workspaces.filter((workspace) => operation.may('workspaces:read', { organisationId: workspace.organisationId, workspaceId: workspace.id }));
  });
}

export async function createWorkspace(dependencies: AdminDependencies, call: AdminCall, input: unknown): Promise<Workspace> {
  const body = parseInput(createWorkspaceSchema, input);
  return runAdminChange(dependencies, call, 'workspaces.create', async (operation) => {
    const workspace: Workspace = { id: newId('workspace'), organisationId: body.organisationId, name: body.name, llm: body.llm ?? {}, createdAt: operation.nowMs };
    const target = { kind: 'workspace', id: workspace.id };
    // Creating a workspace is an organisation-level change.
    operation.authorise('workspaces:write', { organisationId: body.organisationId }, target);
    await requireOrganisation(operation.stores.identity, body.organisationId);
    await operation.stores.identity.createWorkspace(workspace);
    await operation.record(target, { organisationId: workspace.organisationId, workspaceId: workspace.id }, { name: workspace.name });
    // Its name selects the config file's override, and it may come with settings: the hierarchy changed.
    operation.changed('llm', workspace.id);
    return workspace;
  });
}

export async function getWorkspace(dependencies: AdminDependencies, call: AdminCall, id: string): Promise<Workspace> {
  return runAdminRead(dependencies, call, 'workspaces.get', async (operation) => {
    const workspace = await requireWorkspace(operation.stores.identity, id);
    operation.authorise('workspaces:read', { organisationId: workspace.organisationId, workspaceId: workspace.id }, { kind: 'workspace', id });
    return workspace;
  });
}

/** Replaces the workspace's model overrides (`switchyard workspace set-llm`). */
export async function updateWorkspace(dependencies: AdminDependencies, call: AdminCall, id: string, input: unknown): Promise<Workspace> {
  const body = parseInput(updateWorkspaceSchema, input);
  return runAdminChange(dependencies, call, 'workspaces.set-llm', async (operation) => {
    const workspace = await requireWorkspace(operation.stores.identity, id);
    const scope = { organisationId: workspace.organisationId, workspaceId: workspace.id };
    const target = { kind: 'workspace', id };
    operation.authorise('workspaces:write', scope, target);
    await operation.stores.identity.updateWorkspaceLlm(id, body.llm);
    await operation.record(target, scope, { llm: body.llm });
    operation.changed('llm', id);
    return { ...workspace, llm: body.llm };
  });
}

/** Deletes an empty workspace (one with keys is refused: revoke or move them first). */
export async function deleteWorkspace(dependencies: AdminDependencies, call: AdminCall, id: string): Promise<{ id: string; deleted: true }> {
  return runAdminChange(dependencies, call, 'workspaces.delete', async (operation) => {
    const workspace = await requireWorkspace(operation.stores.identity, id);
    const scope = { organisationId: workspace.organisationId, workspaceId: workspace.id };
    const target = { kind: 'workspace', id };
    // Deleting removes the workspace itself, an organisation-level change.
    operation.authorise('workspaces:write', { organisationId: workspace.organisationId }, target);
    const keys = await operation.stores.identity.listKeys({ organisationId: workspace.organisationId, workspaceId: id });
    if (keys.length > 0) throw new GatewayError('conflict', `Workspace ${workspace.name} still has ${keys.length} key(s); revoke them first`);
    await operation.stores.identity.deleteWorkspace(id);
    await operation.record(target, scope, { name: workspace.name });
    operation.changed('llm', id);
    return { id, deleted: true as const };
  });
}
