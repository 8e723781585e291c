import { Kysely, sql, type Selectable } from 'kysely';
import type { Database, DatabaseSchema } from '../../db/index.js';
import { GatewayError } from '../../spec/index.js';
import { alertRuleFieldsSchema, type Alert, type AlertRule, type AlertSeverity, type AlertState } from './alert-rule.js';
import { alertLimitOf, type AlertQuery, type AlertRulePatch, type AlertStore } from './alert-store.js';

/** The tables of migration `0009-alerts`. */
export interface AlertRulesTable {
  id: string;
  organisation_id: string | null;
  workspace_id: string | null;
  /** The rule's fields, JSON. */
  definition: string;
  created_at: number | string | bigint;
  updated_at: number | string | bigint;
}

export interface AlertHistoryTable {
  id: string;
  rule_id: string;
  rule_name: string;
  organisation_id: string | null;
  workspace_id: string | null;
  group_key: string;
  severity: string;
  state: string;
  value: number;
  threshold: number;
  message: string;
  fired_at: number | string | bigint;
  resolved_at: number | string | bigint | null;
}

export type AlertTables = {
  alert_rules: AlertRulesTable;
  alert_history: AlertHistoryTable;
};

/** A database, or a Kysely instance / transaction (so a rule change and its audit record commit together). */
export type AlertStoreExecutor = Kysely<DatabaseSchema> | Pick<Database, 'kysely'>;

function toRule(row: Selectable<AlertRulesTable>): AlertRule {
  let fields;
  try {
    fields = alertRuleFieldsSchema.parse(JSON.parse(row.definition));
  } catch {
    throw new GatewayError('internal_error', `The stored alert rule ${row.id} is not readable`);
  }
  return {
    ...fields,
    id: row.id,
    ...(row.organisation_id === null ? {} : { organisationId: row.organisation_id }),
    ...(row.workspace_id === null ? {} : { workspaceId: row.workspace_id }),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function toAlert(row: Selectable<AlertHistoryTable>): Alert {
  return {
    id: row.id,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    ...(row.organisation_id === null ? {} : { organisationId: row.organisation_id }),
    ...(row.workspace_id === null ? {} : { workspaceId: row.workspace_id }),
    group: row.group_key,
    severity: row.severity as AlertSeverity,
    state: row.state as AlertState,
    value: Number(row.value),
    threshold: Number(row.threshold),
    message: row.message,
    firedAt: Number(row.fired_at),
    ...(row.resolved_at === null ? {} : { resolvedAt: Number(row.resolved_at) }),
  };
}

/** The fields of a rule as stored (its id, owner and times have columns of their own). */
function definitionOf(rule: AlertRule): string {
  const { id: _id, organisationId: _organisation, workspaceId: _workspace, createdAt: _created, updatedAt: _updated, ...fields } = rule;
  return JSON.stringify(fields);
}

/** The {@link AlertStore} on SQLite or PostgreSQL (one Kysely query codebase). */
export class SqlAlertStore implements AlertStore {
  readonly #executor: Kysely<DatabaseSchema & AlertTables>;

  constructor(executor: AlertStoreExecutor) {
    this.#executor = (executor instanceof Kysely ? executor : executor.kysely).withTables<AlertTables>();
  }

  async createRule(rule: AlertRule): Promise<AlertRule> {
    await this.#executor
      .insertInto('alert_rules')
      .values({ id: rule.id, organisation_id: rule.organisationId ?? null, workspace_id: rule.workspaceId ?? null, definition: definitionOf(rule), created_at: rule.createdAt, updated_at: rule.updatedAt })
      .execute();
    return rule;
  }

  async getRule(id: string): Promise<AlertRule | undefined> {
    const row = await this.#executor.selectFrom('alert_rules').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toRule(row);
  }

  async listRules(filter: { organisationId?: string } = {}): Promise<AlertRule[]> {
    let query = this.#executor.selectFrom('alert_rules').selectAll().orderBy('id');
    if (filter.organisationId !== undefined) query = query.where('organisation_id', '=', filter.organisationId);
    return (await query.execute()).map(toRule);
  }

  async updateRule(id: string, patch: AlertRulePatch, atMs: number): Promise<AlertRule | undefined> {
    const existing = await this.getRule(id);
    if (existing === undefined) return undefined;
    const changes = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    const updated: AlertRule = { ...existing, ...changes, updatedAt: atMs };
    await this.#executor.updateTable('alert_rules').set({ definition: definitionOf(updated), updated_at: atMs }).where('id', '=', id).execute();
    return updated;
  }

  async deleteRule(id: string): Promise<boolean> {
    const result = await this.#executor.deleteFrom('alert_rules').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async insertAlert(alert: Alert): Promise<Alert> {
    const result = await this.#executor
      .insertInto('alert_history')
      .values({
        id: alert.id,
        rule_id: alert.ruleId,
        rule_name: alert.ruleName,
        organisation_id: alert.organisationId ?? null,
        workspace_id: alert.workspaceId ?? null,
        group_key: alert.group,
        severity: alert.severity,
        state: alert.state,
        value: alert.value,
        threshold: alert.threshold,
        message: alert.message,
        fired_at: alert.firedAt,
        resolved_at: alert.resolvedAt ?? null,
      })
      // Another replica's alert of this rule and group is firing: the unique partial index keeps it the only one.
      .onConflict((conflict) => conflict.columns(['rule_id', 'group_key']).where(sql.ref('state'), '=', sql.lit('firing')).doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) > 0 || alert.state !== 'firing') return alert;
    const [firing] = await this.listAlerts({ ruleId: alert.ruleId, group: alert.group, state: 'firing', limit: 1 });
    // Resolved between the insert and the read: there is nothing to adopt, and the next evaluation fires again.
    return firing ?? alert;
  }

  async resolveAlert(id: string, resolvedAt: number): Promise<boolean> {
    const result = await this.#executor
      .updateTable('alert_history')
      .set({ state: 'resolved', resolved_at: resolvedAt })
      .where('id', '=', id)
      .where('state', '=', 'firing')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async listAlerts(query: AlertQuery): Promise<Alert[]> {
    let select = this.#executor.selectFrom('alert_history').selectAll();
    if (query.state !== undefined) select = select.where('state', '=', query.state);
    if (query.ruleId !== undefined) select = select.where('rule_id', '=', query.ruleId);
    if (query.group !== undefined) select = select.where('group_key', '=', query.group);
    if (query.organisationId !== undefined) select = select.where('organisation_id', '=', query.organisationId);
    if (query.workspaceId !== undefined) select = select.where('workspace_id', '=', query.workspaceId);
    if (query.since !== undefined) select = select.where('fired_at', '>=', query.since);
    if (query.afterId !== undefined) {
      const after = await this.#executor.selectFrom('alert_history').select(['fired_at', 'id']).where('id', '=', query.afterId).executeTakeFirst();
      if (after === undefined) return [];
      const firedAt = Number(after.fired_at);
      select = select.where((where) => where.or([where('fired_at', '<', firedAt), where.and([where('fired_at', '=', firedAt), where('id', '<', after.id)])]));
    }
    const rows = await select.orderBy('fired_at', 'desc').orderBy('id', 'desc').limit(alertLimitOf(query)).execute();
    return rows.map(toAlert);
  }
}
