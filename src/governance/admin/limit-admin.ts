import { z } from 'zod';
import { GatewayError } from '../../spec/index.js';
import { limitDefinitionSchema, limitScopes, type LimitDefinition } from '../limits/limit-definition.js';
import type { AdminCall, AdminDependencies } from './admin-dependencies.js';
import { newDefinitionId } from './admin-ids.js';
import { parseInput } from './admin-input.js';
import { resolveScope } from './admin-lookups.js';
import type { AdminOperation, AdminScope } from './admin-operation.js';
import { runAdminChange, runAdminRead } from './admin-operation.js';
import { identifierSchema } from './admin-schemas.js';
import { filterReadable } from './scope-filter.js';

const scopeKindSchema = z.enum(limitScopes);

export const limitSchema = z.object({
  id: z.string(),
  scope: scopeKindSchema,
  scopeId: z.string(),
  model: z.string().optional(),
  metric: z.enum(['requests', 'tokens', 'concurrent']),
  limit: z.number().int(),
  windowMs: z.number().int().optional(),
  algorithm: z.enum(['token-bucket', 'sliding-window']),
});

// The definition schema carries a refinement (window or not, by metric), so zod only lets it be extended
// with a field of the same type: the optional id is declared as the string it becomes once filled in.
const optionalId = { id: identifierSchema.optional().describe('Chosen by the server when left out.') } as unknown as { id: z.ZodString };

export const createLimitSchema = limitDefinitionSchema.safeExtend(optionalId);

/** What a create body parses to: the definition, with the id still to be chosen when the caller named none. */
type CreateLimitInput = Omit<LimitDefinition, 'id'> & { id?: string };

/** A change to a limit: the owner and metric are fixed (a different one is a different limit). */
export const updateLimitSchema = z
  .strictObject({
    limit: z.number().int('must be a whole number').positive('must be at least 1').max(Number.MAX_SAFE_INTEGER).optional(),
    windowMs: z.number().int().min(1000, 'must be at least 1000 (one second)').max(86_400_000, 'must be at most 86400000 (one day)').optional(),
    algorithm: z.enum(['token-bucket', 'sliding-window']).optional(),
    model: z.string().trim().min(1).nullable().optional().describe('null: the limit applies to every model again.'),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'give at least one field to change');

export const listLimitsQuerySchema = z.strictObject({ scope: scopeKindSchema.optional(), scopeId: identifierSchema.optional() });

export async function listLimits(dependencies: AdminDependencies, call: AdminCall, input: unknown): Promise<LimitDefinition[]> {
  const query = parseInput(listLimitsQuerySchema, input, 'query');
  if (query.scopeId !== undefined && query.scope === undefined) throw new GatewayError('invalid_request', 'scope: required with scopeId', { param: 'scope' });
  return runAdminRead(dependencies, call, 'limits.list', async (operation) => {
    const { limits, identity } = operation.stores;
    if (query.scope !== undefined && query.scopeId !== undefined) {
      const scope = await resolveScope(identity, query.scope, query.scopeId);
      operation.authorise('limits:read', scope, { kind: query.scope, id: query.scopeId });
      return limits.list({ scope: query.scope, scopeId: query.scopeId });
    }
    return filterReadable(operation, 'limits:read', await limits.list(query.scope === undefined ? undefined : { scope: query.scope }));
  });
}

export async function createLimit(dependencies: AdminDependencies, call: AdminCall, input: unknown): Promise<LimitDefinition> {
  const body: CreateLimitInput = parseInput(createLimitSchema, input);
  return runAdminChange(dependencies, call, 'limits.create', async (operation) => {
    const id = body.id ?? newDefinitionId('lim');
    const scope = await resolveScope(operation.stores.identity, body.scope, body.scopeId);
    const target = { kind: 'limit', id };
    operation.authorise('limits:write', scope, target);
    const created = await operation.stores.limits.create({ ...body, id });
    await operation.record(target, scope, { ...created });
    operation.changed('limits', id);
    return created;
  });
}

export async function getLimit(dependencies: AdminDependencies, call: AdminCall, id: string): Promise<LimitDefinition> {
  return runAdminRead(dependencies, call, 'limits.get', async (operation) => (await requireLimit(operation, id, 'limits:read')).definition);
}

export async function updateLimit(dependencies: AdminDependencies, call: AdminCall, id: string, input: unknown): Promise<LimitDefinition> {
  const body = parseInput(updateLimitSchema, input);
  return runAdminChange(dependencies, call, 'limits.update', async (operation) => {
    const { scope } = await requireLimit(operation, id, 'limits:write');
    const updated = await operation.stores.limits.update(id, body);
    if (updated === undefined) throw notFound(id);
    await operation.record({ kind: 'limit', id }, scope, { ...body });
    operation.changed('limits', id);
    return updated;
  });
}

export async function deleteLimit(dependencies: AdminDependencies, call: AdminCall, id: string): Promise<{ id: string; deleted: true }> {
  return runAdminChange(dependencies, call, 'limits.delete', async (operation) => {
    const { definition, scope } = await requireLimit(operation, id, 'limits:write');
    if (!(await operation.stores.limits.delete(id))) throw notFound(id);
    await operation.record({ kind: 'limit', id }, scope, { scope: definition.scope, scopeId: definition.scopeId, metric: definition.metric });
    operation.changed('limits', id);
    return { id, deleted: true as const };
  });
}

async function requireLimit(operation: AdminOperation, id: string, action: 'limits:read' | 'limits:write'): Promise<{ definition: LimitDefinition; scope: AdminScope }> {
  const definition = await operation.stores.limits.get(id);
  if (definition === undefined) throw notFound(id);
  const scope = await resolveScope(operation.stores.identity, definition.scope, definition.scopeId);
  operation.authorise(action, scope, { kind: 'limit', id });
  return { definition, scope };
}

function notFound(id: string): GatewayError {
  return new GatewayError('not_found', `No rate limit with id ${id}`, { param: 'id' });
}
