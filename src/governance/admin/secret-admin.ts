import { z } from 'zod';
import { GatewayError } from '../../spec/index.js';
import type { SecretDescriptor } from '../secrets/secret-store.js';
import type { AdminCall, AdminDependencies } from './admin-dependencies.js';
import { parseInput } from './admin-input.js';
import { listScope, requireOrganisation } from './admin-lookups.js';
import { runAdminChange, runAdminRead } from './admin-operation.js';
import { identifierSchema, organisationIdQuerySchema, timestampSchema } from './admin-schemas.js';

/** Secret names are used on the command line and in config references. */
export const secretNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, ".", "_" and "-" only, starting with a letter or digit');

/** What the API shows of a secret: its field names, never their values. */
export const secretDescriptorSchema = z.object({ name: z.string(), organisationId: z.string(), fields: z.array(z.string()), createdAt: timestampSchema, updatedAt: timestampSchema });

export const putSecretSchema = z.strictObject({
  organisationId: identifierSchema,
  name: secretNameSchema,
  fields: z
    .record(z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'field names are letters, digits, ".", "_" or "-"'), z.string().min(1, 'a field value cannot be empty').max(65_536))
    .refine((fields) => Object.keys(fields).length > 0, 'give at least one field (e.g. {"key": "..."})')
    .describe('Field name -> value, stored encrypted. Values are never returned.'),
});

export const secretQuerySchema = organisationIdQuerySchema;

export async function listSecrets(dependencies: AdminDependencies, call: AdminCall, input: unknown): Promise<SecretDescriptor[]> {
  const query = parseInput(secretQuerySchema, input, 'query');
  return runAdminRead(dependencies, call, 'secrets.list', async (operation) => {
    const { organisationId } = listScope(call.principal, query.organisationId);
    operation.authorise('secrets:read', { organisationId }, { kind: 'organisation', id: organisationId });
    return operation.stores.secrets.list(organisationId);
  });
}

/** Creates or replaces a secret from its fields (`switchyard secret create openai-api-key --from-literal key=...`). */
export async function putSecret(dependencies: AdminDependencies, call: AdminCall, input: unknown): Promise<SecretDescriptor> {
  const body = parseInput(putSecretSchema, input);
  return runAdminChange(dependencies, call, 'secrets.put', async (operation) => {
    const scope = { organisationId: body.organisationId };
    const target = { kind: 'secret', id: body.name };
    operation.authorise('secrets:write', scope, target);
    await requireOrganisation(operation.stores.identity, body.organisationId);
    const replaced = (await operation.stores.secrets.describe(body.organisationId, body.name)) !== undefined;
    const descriptor = await operation.stores.secrets.put(body.organisationId, body.name, body.fields, operation.nowMs);
    // Field names only: the values never reach the audit log.
    await operation.record(target, scope, { fields: descriptor.fields, replaced });
    return descriptor;
  });
}

export async function describeSecret(dependencies: AdminDependencies, call: AdminCall, name: string, input: unknown): Promise<SecretDescriptor> {
  const query = parseInput(secretQuerySchema, input, 'query');
  return runAdminRead(dependencies, call, 'secrets.describe', async (operation) => {
    const { organisationId } = listScope(call.principal, query.organisationId);
    operation.authorise('secrets:read', { organisationId }, { kind: 'secret', id: name });
    const descriptor = await operation.stores.secrets.describe(organisationId, name);
    if (descriptor === undefined) throw new GatewayError('not_found', `No secret named ${name} in organisation ${organisationId}`, { param: 'name' });
    return descriptor;
  });
}

export async function deleteSecret(dependencies: AdminDependencies, call: AdminCall, name: string, input: unknown): Promise<{ id: string; deleted: true }> {
  const query = parseInput(secretQuerySchema, input, 'query');
  return runAdminChange(dependencies, call, 'secrets.delete', async (operation) => {
    const { organisationId } = listScope(call.principal, query.organisationId);
    const scope = { organisationId };
    const target = { kind: 'secret', id: name };
    operation.authorise('secrets:write', scope, target);
    const deleted = await operation.stores.secrets.delete(organisationId, name);
    if (!deleted) throw new GatewayError('not_found', `No secret named ${name} in organisation ${organisationId}`, { param: 'name' });
    await operation.record(target, scope, {});
    return { id: name, deleted: true as const };
  });
}
