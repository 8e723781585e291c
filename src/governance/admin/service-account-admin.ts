import { z } from 'zod';
import { GatewayError } from '../../spec/index.js';
import type { ServiceAccount } from '../identity/identity-types.js';
import { newId } from '../identity/virtual-key-material.js';
import type { AdminCall, AdminDependencies } from './admin-dependencies.js';
import { parseInput } from './admin-input.js';
import { listScope, requireOrganisation, requireWorkspace } from './admin-lookups.js';
import type { AdminScope } from './admin-operation.js';
import { runAdminChange, runAdminRead } from './admin-operation.js';
import { identifierSchema, nameSchema, organisationIdQuerySchema, timestampSchema } from './admin-schemas.js';

export const serviceAccountSchema = z.object({ id: z.string(), organisationId: z.string(), workspaceId: z.string().optional(), name: z.string(), createdAt: timestampSchema });

export const createServiceAccountSchema = z.strictObject({
  organisationId: identifierSchema,
  workspaceId: identifierSchema.optional().describe('Binds the account to one workspace; without it the account is organisation-wide.'),
  name: nameSchema,
});

export const listServiceAccountsQuerySchema = organisationIdQuerySchema;

/** The service accounts of an organisation the caller may read (a workspace's caller sees its workspace's). */
export async function listServiceAccounts(dependencies: AdminDependencies, call: AdminCall, input: unknown): Promise<ServiceAccount[]> {
  const query = parseInput(listServiceAccountsQuerySchema, input, 'query');
  return runAdminRead(dependencies, call, 'service-accounts.list', async (operation) => {
    const scope = listScope(call.principal, query.organisationId);
    operation.authorise('service-accounts:read', scope, { kind: 'organisation', id: scope.organisationId });
    const accounts = await operation.stores.identity.listServiceAccounts(scope.organisationId);
    return accounts.filter((account) => operation.may('service-accounts:read', accountScope(account)));
  });
}

export async function createServiceAccount(dependencies: AdminDependencies, call: AdminCall, input: unknown): Promise<ServiceAccount> {
  const body = parseInput(createServiceAccountSchema, input);
  return runAdminChange(dependencies, call, 'service-accounts.create', async (operation) => {
    const account: ServiceAccount = { id: newId('service-account'), organisationId: body.organisationId, workspaceId: body.workspaceId, name: body.name, createdAt: operation.nowMs };
    const scope = accountScope(account);
    const target = { kind: 'service-account', id: account.id };
    operation.authorise('service-accounts:write', scope, target);
    await requireOrganisation(operation.stores.identity, body.organisationId);
    if (body.workspaceId !== undefined) {
      const workspace = await requireWorkspace(operation.stores.identity, body.workspaceId);
      if (workspace.organisationId !== body.organisationId) {
        throw new GatewayError('invalid_request', `workspaceId: workspace ${body.workspaceId} is not in organisation ${body.organisationId}`, { param: 'workspaceId' });
      }
    }
    await operation.stores.identity.createServiceAccount(account);
    await operation.record(target, scope, { name: account.name });
    return account;
  });
}

export async function getServiceAccount(dependencies: AdminDependencies, call: AdminCall, id: string): Promise<ServiceAccount> {
  return runAdminRead(dependencies, call, 'service-accounts.get', async (operation) => {
    const account = await operation.stores.identity.getServiceAccount(id);
    if (account === undefined) throw new GatewayError('not_found', `No service account with id ${id}`, { param: 'id' });
    operation.authorise('service-accounts:read', accountScope(account), { kind: 'service-account', id });
    return account;
  });
}

function accountScope(account: ServiceAccount): AdminScope {
  return account.workspaceId === undefined ? { organisationId: account.organisationId } : { organisationId: account.organisationId, workspaceId: account.workspaceId };
}
