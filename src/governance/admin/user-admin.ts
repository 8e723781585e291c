import { z } from 'zod';
import type { User } from '../identity/identity-types.js';
import { newId } from '../identity/virtual-key-material.js';
import type { AdminCall, AdminDependencies } from './admin-dependencies.js';
import { parseInput } from './admin-input.js';
import { listScope, requireOrganisation } from './admin-lookups.js';
import { runAdminChange, runAdminRead } from './admin-operation.js';
import { identifierSchema, nameSchema, organisationIdQuerySchema, timestampSchema } from './admin-schemas.js';
import { GatewayError } from '../../spec/index.js';

export const userSchema = z.object({ id: z.string(), organisationId: z.string(), email: z.string(), name: z.string().optional(), createdAt: timestampSchema });

export const createUserSchema = z.strictObject({ organisationId: identifierSchema, email: z.email().max(320), name: nameSchema.optional() });

export const listUsersQuerySchema = organisationIdQuerySchema;

/** Users are organisation-level: listing them is an organisation-level read. */
export async function listUsers(dependencies: AdminDependencies, call: AdminCall, input: unknown): Promise<User[]> {
  const query = parseInput(listUsersQuerySchema, input, 'query');
  return runAdminRead(dependencies, call, 'users.list', async (operation) => {
    const { organisationId } = listScope(call.principal, query.organisationId);
    operation.authorise('users:read', { organisationId }, { kind: 'organisation', id: organisationId });
    return operation.stores.identity.listUsers(organisationId);
  });
}

export async function createUser(dependencies: AdminDependencies, call: AdminCall, input: unknown): Promise<User> {
  const body = parseInput(createUserSchema, input);
  return runAdminChange(dependencies, call, 'users.create', async (operation) => {
    const user: User = { id: newId('user'), organisationId: body.organisationId, email: body.email.toLowerCase(), name: body.name, createdAt: operation.nowMs };
    const scope = { organisationId: body.organisationId };
    const target = { kind: 'user', id: user.id };
    operation.authorise('users:write', scope, target);
    await requireOrganisation(operation.stores.identity, body.organisationId);
    await operation.stores.identity.createUser(user);
    await operation.record(target, scope, { email: user.email });
    return user;
  });
}

export async function getUser(dependencies: AdminDependencies, call: AdminCall, id: string): Promise<User> {
  return runAdminRead(dependencies, call, 'users.get', async (operation) => {
    const user = await operation.stores.identity.getUser(id);
    if (user === undefined) throw new GatewayError('not_found', `No user with id ${id}`, { param: 'id' });
    operation.authorise('users:read', { organisationId: user.organisationId }, { kind: 'user', id });
    return user;
  });
}
