import { z } from 'zod';
import { GatewayError } from '../../spec/index.js';
import { budgetDefinitionSchema, budgetPatchSchema } from '../budgets/budget-definition.js';
import type { BudgetDefinition, BudgetState } from '../budgets/budget-ledger.js';
import type { AdminCall, AdminDependencies } from './admin-dependencies.js';
import { newDefinitionId } from './admin-ids.js';
import { parseInput } from './admin-input.js';
import { resolveScope } from './admin-lookups.js';
import type { AdminOperation, AdminScope } from './admin-operation.js';
import { runAdminChange, runAdminRead } from './admin-operation.js';
import { identifierSchema } from './admin-schemas.js';
import { filterReadable } from './scope-filter.js';

const scopeKindSchema = z.enum(['key', 'team', 'workspace', 'organisation']);

/** A budget with where it stands in its current period. */
export interface BudgetView extends BudgetDefinition {
  state: BudgetState;
}

export const budgetViewSchema = z.object({
  id: z.string(),
  scope: scopeKindSchema,
  scopeId: z.string(),
  period: z.enum(['day', 'week', 'month']),
  limitMicros: z.number().int(),
  thresholds: z.array(z.number().int()),
  state: z
    .object({ budgetId: z.string(), periodStart: z.number().int(), periodEnd: z.number().int(), spentMicros: z.number().int(), reservedMicros: z.number().int(), limitMicros: z.number().int() })
    .describe('The current period: what was spent and what is reserved by requests in flight (micro-dollars).'),
});

export const createBudgetSchema = budgetDefinitionSchema.extend({ id: identifierSchema.optional().describe('Chosen by the server when left out.') });

export const updateBudgetSchema = budgetPatchSchema;

export const listBudgetsQuerySchema = z.strictObject({ scope: scopeKindSchema.optional(), scopeId: identifierSchema.optional() });

/** Budgets the caller may read, each with its current spend. */
export async function listBudgets(dependencies: AdminDependencies, call: AdminCall, input: unknown): Promise<BudgetView[]> {
  const query = parseInput(listBudgetsQuerySchema, input, 'query');
  if (query.scopeId !== undefined && query.scope === undefined) throw new GatewayError('invalid_request', 'scope: required with scopeId', { param: 'scope' });
  return runAdminRead(dependencies, call, 'budgets.list', async (operation) => {
    const { budgets, identity } = operation.stores;
    let definitions: BudgetDefinition[];
    if (query.scope !== undefined && query.scopeId !== undefined) {
      const scope = await resolveScope(identity, query.scope, query.scopeId);
      operation.authorise('budgets:read', scope, { kind: query.scope, id: query.scopeId });
      definitions = await budgets.list({ scope: query.scope, scopeId: query.scopeId });
    } else {
      definitions = await filterReadable(operation, 'budgets:read', await budgets.list(query.scope === undefined ? undefined : { scope: query.scope }));
    }
    return withStates(dependencies, operation, definitions);
  });
}

export async function createBudget(dependencies: AdminDependencies, call: AdminCall, input: unknown): Promise<BudgetView> {
  const body = parseInput(createBudgetSchema, input);
  return runAdminChange(dependencies, call, 'budgets.create', async (operation) => {
    const definition: BudgetDefinition = { ...body, id: body.id ?? newDefinitionId('bud') };
    const scope = await resolveScope(operation.stores.identity, definition.scope, definition.scopeId);
    const target = { kind: 'budget', id: definition.id };
    operation.authorise('budgets:write', scope, target);
    await operation.stores.budgets.create(definition);
    await operation.record(target, scope, describe(definition));
    operation.changed('budgets', definition.id);
    return (await withStates(dependencies, operation, [definition]))[0];
  });
}

export async function getBudget(dependencies: AdminDependencies, call: AdminCall, id: string): Promise<BudgetView> {
  return runAdminRead(dependencies, call, 'budgets.get', async (operation) => {
    const { definition } = await requireBudget(operation, id, 'budgets:read');
    return (await withStates(dependencies, operation, [definition]))[0];
  });
}

/** Changes a budget's limit or thresholds (its owner and period are fixed: create another budget instead). */
export async function updateBudget(dependencies: AdminDependencies, call: AdminCall, id: string, input: unknown): Promise<BudgetView> {
  const body = parseInput(updateBudgetSchema, input);
  return runAdminChange(dependencies, call, 'budgets.update', async (operation) => {
    const { scope } = await requireBudget(operation, id, 'budgets:write');
    const updated = await operation.stores.budgets.update(id, body);
    if (updated === undefined) throw notFound(id);
    await operation.record({ kind: 'budget', id }, scope, { ...body });
    operation.changed('budgets', id);
    return (await withStates(dependencies, operation, [updated]))[0];
  });
}

export async function deleteBudget(dependencies: AdminDependencies, call: AdminCall, id: string): Promise<{ id: string; deleted: true }> {
  return runAdminChange(dependencies, call, 'budgets.delete', async (operation) => {
    const { definition, scope } = await requireBudget(operation, id, 'budgets:write');
    if (!(await operation.stores.budgets.delete(id))) throw notFound(id);
    await operation.record({ kind: 'budget', id }, scope, describe(definition));
    operation.changed('budgets', id);
    return { id, deleted: true as const };
  });
}

async function requireBudget(operation: AdminOperation, id: string, action: 'budgets:read' | 'budgets:write'): Promise<{ definition: BudgetDefinition; scope: AdminScope }> {
  const definition = await operation.stores.budgets.get(id);
  if (definition === undefined) throw notFound(id);
  const scope = await resolveScope(operation.stores.identity, definition.scope, definition.scopeId);
  operation.authorise(action, scope, { kind: 'budget', id });
  return { definition, scope };
}

async function withStates(dependencies: AdminDependencies, operation: AdminOperation, definitions: BudgetDefinition[]): Promise<BudgetView[]> {
  if (definitions.length === 0) return [];
  const states = await dependencies.budgetLedger.states(definitions, operation.nowMs);
  const byId = new Map(states.map((state) => [state.budgetId, state]));
  return definitions.map((definition) => ({ ...definition, state: byId.get(definition.id)! }));
}

function describe(definition: BudgetDefinition): Record<string, unknown> {
  return { scope: definition.scope, scopeId: definition.scopeId, period: definition.period, limitMicros: definition.limitMicros, thresholds: definition.thresholds };
}

function notFound(id: string): GatewayError {
  return new GatewayError('not_found', `No budget with id ${id}`, { param: 'id' });
}
