import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AdminCall, AdminDependencies } from '../../governance/admin/admin-dependencies.js';
import { parseInput } from '../../governance/admin/admin-input.js';
import { listScope, requireOrganisation, requireWorkspace } from '../../governance/admin/admin-lookups.js';
import { runAdminChange, runAdminRead, type AdminOperation, type AdminScope } from '../../governance/admin/admin-operation.js';
import { identifierSchema, timestampSchema } from '../../governance/admin/admin-schemas.js';
import type { GovernanceStores, UnitOfWork } from '../../governance/admin/governance-stores.js';
import { GatewayError } from '../../spec/index.js';
import { alertRuleFieldSchemas, alertRuleFieldsSchema, alertSeverities, type Alert, type AlertRule } from './alert-rule.js';
import type { AlertStore } from './alert-store.js';

/** The governance stores plus the alert store, bound to one transaction (a rule change commits with its audit record). */
export interface AlertStores extends GovernanceStores {
  alerts: AlertStore;
}

/** {@link UnitOfWork} whose stores include the alert store. */
export type AlertUnitOfWork = <T>(work: (stores: AlertStores) => Promise<T>) => Promise<T>;

/** What the alert use cases need besides the admin dependencies. */
export interface AlertAdminDependencies extends AdminDependencies {
  alertUnitOfWork: AlertUnitOfWork;
  /** The channels configured under `alerts.channels` (a rule may name only these). */
  alertChannelNames: ReadonlySet<string>;
  /** Called after a rule was created, changed or deleted (the composition root publishes it on the change bus). */
  onAlertRulesChanged?: (ruleId: string) => void | Promise<void>;
}

/** The alert dependencies among the admin API's, or 404 when this gateway runs without alerts. */
export function alertAdminDependenciesOf(dependencies: AdminDependencies): AlertAdminDependencies {
  const candidate = dependencies as Partial<AlertAdminDependencies>;
  if (candidate.alertUnitOfWork === undefined || candidate.alertChannelNames === undefined) throw new GatewayError('not_found', 'Alerts are not enabled on this gateway (alerts.enabled: false)');
  return dependencies as AlertAdminDependencies;
}

export const alertRuleSchema = z.object({
  ...alertRuleFieldSchemas,
  id: z.string(),
  organisationId: z.string().optional(),
  workspaceId: z.string().optional(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});

export const alertSchema = z.object({
  id: z.string(),
  ruleId: z.string(),
  ruleName: z.string(),
  organisationId: z.string().optional(),
  workspaceId: z.string().optional(),
  group: z.string().describe('What the alert is about within the rule: all, model:<name>, key:<id>, ...'),
  severity: z.enum(alertSeverities),
  state: z.enum(['firing', 'resolved']),
  value: z.number(),
  threshold: z.number(),
  message: z.string(),
  firedAt: timestampSchema,
  resolvedAt: timestampSchema.optional(),
});

export const alertListSchema = z.object({ object: z.literal('list'), data: z.array(alertSchema), nextCursor: z.string().optional() });

export const createAlertRuleSchema = alertRuleFieldsSchema.safeExtend({
  id: identifierSchema.optional().describe('Chosen by the server when left out.'),
  organisationId: identifierSchema.optional().describe("Defaults to the caller's organisation (required with the master key)."),
  workspaceId: identifierSchema.optional().describe("A workspace's rule sees only that workspace's requests."),
});

export const updateAlertRuleSchema = z
  .strictObject(Object.fromEntries(Object.entries(alertRuleFieldSchemas).map(([name, schema]) => [name, schema.optional()])) as { [Name in keyof typeof alertRuleFieldSchemas]: z.ZodOptional<(typeof alertRuleFieldSchemas)[Name]> })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'give at least one field to change');

export const listAlertRulesQuerySchema = z.strictObject({ organisationId: identifierSchema.optional(), workspaceId: identifierSchema.optional() });

export const listAlertsQuerySchema = z.strictObject({
  state: z.enum(['firing', 'resolved']).optional(),
  ruleId: identifierSchema.optional(),
  organisationId: identifierSchema.optional().describe("Defaults to the caller's organisation (the master key: every one)."),
  workspaceId: identifierSchema.optional(),
  since: z.coerce.number().int().nonnegative().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: identifierSchema.optional().describe('The nextCursor of the previous page.'),
});

/** Binds the alert store of the unit of work, for the use cases (the admin operation knows only governance stores). */
function withAlertStore(dependencies: AlertAdminDependencies): { dependencies: AdminDependencies; alerts: () => AlertStore } {
  let bound: AlertStore | undefined;
  const unitOfWork: UnitOfWork = (inner) =>
    dependencies.alertUnitOfWork((stores) => {
      bound = stores.alerts;
      return inner(stores);
    });
  return {
    dependencies: { ...dependencies, unitOfWork },
    alerts: () => {
      if (bound === undefined) throw new GatewayError('internal_error', 'The alert store is read outside its unit of work');
      return bound;
    },
  };
}

function scopeOf(owner: { organisationId?: string; workspaceId?: string }): AdminScope | undefined {
  if (owner.organisationId === undefined) return undefined;
  return owner.workspaceId === undefined ? { organisationId: owner.organisationId } : { organisationId: owner.organisationId, workspaceId: owner.workspaceId };
}

/** True when the caller may read what belongs to `owner` (what belongs to no organisation: the master key only). */
function mayRead(operation: AdminOperation, owner: { organisationId?: string; workspaceId?: string }): boolean {
  const scope = scopeOf(owner);
  return scope === undefined ? operation.principal.kind === 'master' : operation.may('alerts:read', scope);
}

async function announce(dependencies: AlertAdminDependencies, ruleId: string): Promise<void> {
  try {
    await dependencies.onAlertRulesChanged?.(ruleId);
  } catch (error) {
    dependencies.reportError?.(error);
  }
}

function checkChannels(dependencies: AlertAdminDependencies, channels: ReadonlyArray<string> | undefined): void {
  const unknown = (channels ?? []).filter((name) => !dependencies.alertChannelNames.has(name));
  if (unknown.length > 0) {
    const known = [...dependencies.alertChannelNames].join(', ') || 'none configured';
    throw new GatewayError('invalid_request', `channels: unknown channel ${unknown.join(', ')} (configured under alerts.channels: ${known})`, { param: 'channels' });
  }
}

/**
 * The scope a list is read in (authorised, so naming another organisation or workspace is refused): the one
 * asked for, by default the caller's; the master key without an organisation reads everything.
 */
function authorisedListScope(operation: AdminOperation, organisationId: string | undefined, workspaceId: string | undefined): AdminScope | undefined {
  if (operation.principal.kind === 'master' && organisationId === undefined) return undefined;
  const scope = listScope(operation.principal, organisationId, workspaceId);
  operation.authorise('alerts:read', scope, { kind: 'alert-rule', id: '*' });
  return scope;
}

export async function listAlertRules(dependencies: AlertAdminDependencies, call: AdminCall, input: unknown): Promise<AlertRule[]> {
  const query = parseInput(listAlertRulesQuerySchema, input, 'query');
  const scoped = withAlertStore(dependencies);
  return runAdminRead(scoped.dependencies, call, 'alert-rules.list', async (operation) => {
    const scope = authorisedListScope(operation, query.organisationId, query.workspaceId);
    const rules = await scoped.alerts().listRules(scope === undefined ? {} : { organisationId: scope.organisationId });
    return rules.filter((rule) => (scope?.workspaceId === undefined || rule.workspaceId === scope.workspaceId) && mayRead(operation, rule));
  });
}

export async function createAlertRule(dependencies: AlertAdminDependencies, call: AdminCall, input: unknown): Promise<AlertRule> {
  const { id: givenId, organisationId: givenOrganisation, workspaceId, ...fields } = parseInput(createAlertRuleSchema, input);
  checkChannels(dependencies, fields.channels);
  const id = givenId ?? `alr_${randomBytes(15).toString('base64url')}`;
  const scoped = withAlertStore(dependencies);
  const created = await runAdminChange(scoped.dependencies, call, 'alert-rules.create', async (operation) => {
    const organisationId = givenOrganisation ?? (call.principal.kind === 'master' ? undefined : call.principal.organisationId);
    if (organisationId === undefined) throw new GatewayError('invalid_request', 'organisationId: required with the master key (whose traffic the rule watches)', { param: 'organisationId' });
    // A caller bound to a workspace (a workspace admin's key) makes a rule of its workspace by default.
    const ownWorkspace = call.principal.kind !== 'master' && call.principal.organisationId === organisationId && !operation.may('alerts:write', { organisationId }) ? call.principal.workspaceId : undefined;
    const workspace = workspaceId ?? ownWorkspace;
    const scope: AdminScope = workspace === undefined ? { organisationId } : { organisationId, workspaceId: workspace };
    const target = { kind: 'alert-rule', id };
    operation.authorise('alerts:write', scope, target);
    await requireOrganisation(operation.stores.identity, organisationId);
    if (workspace !== undefined && (await requireWorkspace(operation.stores.identity, workspace)).organisationId !== organisationId) {
      throw new GatewayError('invalid_request', `workspaceId: the workspace ${workspace} belongs to another organisation`, { param: 'workspaceId' });
    }
    const store = scoped.alerts();
    if ((await store.getRule(id)) !== undefined) throw new GatewayError('conflict', `An alert rule with id ${id} exists`, { param: 'id' });
    const rule: AlertRule = { ...fields, id, organisationId, ...(workspace === undefined ? {} : { workspaceId: workspace }), createdAt: operation.nowMs, updatedAt: operation.nowMs };
    await store.createRule(rule);
    await operation.record(target, scope, { ...fields });
    return rule;
  });
  await announce(dependencies, id);
  return created;
}

async function requireRule(operation: AdminOperation, store: AlertStore, id: string, action: 'alerts:read' | 'alerts:write'): Promise<{ rule: AlertRule; scope: AdminScope }> {
  const rule = await store.getRule(id);
  const scope = rule === undefined ? undefined : scopeOf(rule);
  if (rule === undefined || scope === undefined) throw new GatewayError('not_found', `No alert rule with id ${id}`, { param: 'ruleId' });
  operation.authorise(action, scope, { kind: 'alert-rule', id });
  return { rule, scope };
}

export async function getAlertRule(dependencies: AlertAdminDependencies, call: AdminCall, id: string): Promise<AlertRule> {
  const scoped = withAlertStore(dependencies);
  return runAdminRead(scoped.dependencies, call, 'alert-rules.get', async (operation) => (await requireRule(operation, scoped.alerts(), id, 'alerts:read')).rule);
}

export async function updateAlertRule(dependencies: AlertAdminDependencies, call: AdminCall, id: string, input: unknown): Promise<AlertRule> {
  const patch = parseInput(updateAlertRuleSchema, input);
  checkChannels(dependencies, patch.channels);
  const scoped = withAlertStore(dependencies);
  const updated = await runAdminChange(scoped.dependencies, call, 'alert-rules.update', async (operation) => {
    const { scope } = await requireRule(operation, scoped.alerts(), id, 'alerts:write');
    const changed = await scoped.alerts().updateRule(id, patch, operation.nowMs);
    if (changed === undefined) throw new GatewayError('not_found', `No alert rule with id ${id}`, { param: 'ruleId' });
    await operation.record({ kind: 'alert-rule', id }, scope, { ...patch });
    return changed;
  });
  await announce(dependencies, id);
  return updated;
}

export async function deleteAlertRule(dependencies: AlertAdminDependencies, call: AdminCall, id: string): Promise<{ id: string; deleted: true }> {
  const scoped = withAlertStore(dependencies);
  await runAdminChange(scoped.dependencies, call, 'alert-rules.delete', async (operation) => {
    const { rule, scope } = await requireRule(operation, scoped.alerts(), id, 'alerts:write');
    await scoped.alerts().deleteRule(id);
    await operation.record({ kind: 'alert-rule', id }, scope, { name: rule.name, metric: rule.metric });
  });
  await announce(dependencies, id);
  return { id, deleted: true };
}

/** The history of alerts the caller may read, newest first, a page at a time. */
export async function listAlerts(dependencies: AlertAdminDependencies, call: AdminCall, input: unknown): Promise<{ object: 'list'; data: Alert[]; nextCursor?: string }> {
  const query = parseInput(listAlertsQuerySchema, input, 'query');
  const scoped = withAlertStore(dependencies);
  return runAdminRead(scoped.dependencies, call, 'alerts.list', async (operation) => {
    const scope = authorisedListScope(operation, query.organisationId, query.workspaceId);
    const page = await scoped.alerts().listAlerts({ state: query.state, ruleId: query.ruleId, organisationId: scope?.organisationId, workspaceId: scope?.workspaceId, since: query.since, limit: query.limit, afterId: query.cursor });
    const data = page.filter((alert) => mayRead(operation, alert));
    return { object: 'list' as const, data, ...(page.length === query.limit ? { nextCursor: page[page.length - 1].id } : {}) };
  });
}
