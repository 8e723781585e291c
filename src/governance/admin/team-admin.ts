import { z } from 'zod';
import type { Team } from '../identity/identity-types.js';
import { newId } from '../identity/virtual-key-material.js';
import type { AdminCall, AdminDependencies } from './admin-dependencies.js';
import { parseInput } from './admin-input.js';
import { listScope, requireTeam, requireWorkspace } from './admin-lookups.js';
import { runAdminChange, runAdminRead } from './admin-operation.js';
import { identifierSchema, nameSchema, timestampSchema } from './admin-schemas.js';

export const teamSchema = z.object({ id: z.string(), organisationId: z.string(), workspaceId: z.string(), name: z.string(), createdAt: timestampSchema });

export const createTeamSchema = z.strictObject({ workspaceId: identifierSchema, name: nameSchema });

export const listTeamsQuerySchema = z.strictObject({
  workspaceId: identifierSchema.optional().describe("Defaults to the caller's workspace (required with the master key)."),
});

export async function listTeams(dependencies: AdminDependencies, call: AdminCall, input: unknown): Promise<Team[]> {
  const query = parseInput(listTeamsQuerySchema, input, 'query');
  return runAdminRead(dependencies, call, 'teams.list', async (operation) => {
    const workspaceId = query.workspaceId ?? (call.principal.kind === 'master' ? undefined : call.principal.workspaceId);
    const scope = workspaceId === undefined ? listScope(call.principal, undefined) : await workspaceScope(operation.stores.identity, workspaceId);
    if (scope.workspaceId === undefined) return [] satisfies Team[];
    operation.authorise('teams:read', scope, { kind: 'workspace', id: scope.workspaceId });
    return operation.stores.identity.listTeams(scope.workspaceId);
  });
}

export async function createTeam(dependencies: AdminDependencies, call: AdminCall, input: unknown): Promise<Team> {
  const body = parseInput(createTeamSchema, input);
  return runAdminChange(dependencies, call, 'teams.create', async (operation) => {
    const scope = await workspaceScope(operation.stores.identity, body.workspaceId);
    const team: Team = { id: newId('team'), organisationId: scope.organisationId, workspaceId: body.workspaceId, name: body.name, createdAt: operation.nowMs };
    const target = { kind: 'team', id: team.id };
    operation.authorise('teams:write', scope, target);
    await operation.stores.identity.createTeam(team);
    await operation.record(target, scope, { name: team.name });
    return team;
  });
}

export async function getTeam(dependencies: AdminDependencies, call: AdminCall, id: string): Promise<Team> {
  return runAdminRead(dependencies, call, 'teams.get', async (operation) => {
    const team = await requireTeam(operation.stores.identity, id);
    operation.authorise('teams:read', { organisationId: team.organisationId, workspaceId: team.workspaceId }, { kind: 'team', id });
    return team;
  });
}

export async function deleteTeam(dependencies: AdminDependencies, call: AdminCall, id: string): Promise<{ id: string; deleted: true }> {
  return runAdminChange(dependencies, call, 'teams.delete', async (operation) => {
    const team = await requireTeam(operation.stores.identity, id);
    const scope = { organisationId: team.organisationId, workspaceId: team.workspaceId };
    const target = { kind: 'team', id };
    operation.authorise('teams:write', scope, target);
    await operation.stores.identity.deleteTeam(id);
    await operation.record(target, scope, { name: team.name });
    // Keys of the team lose the team's limits and budgets: their cached records must be re-read.
    operation.changed('keys', id);
    return { id, deleted: true as const };
  });
}

async function workspaceScope(identity: Parameters<typeof requireWorkspace>[0], workspaceId: string) {
  const workspace = await requireWorkspace(identity, workspaceId);
  return { organisationId: workspace.organisationId, workspaceId: workspace.id };
}
