import type { Kysely, Selectable } from 'kysely';
import type { BudgetsTable, DatabaseSchema } from '../../db/schema.js';
import { GatewayError } from '../../spec/gateway-error.js';
import { applicableBudgets, parseBudgetDefinition, parseBudgetPatch, type BudgetSubject } from './budget-definition.js';
import type { BudgetDefinition, BudgetPeriod, BudgetScopeKind } from './budget-ledger.js';
import type { BudgetDefinitionPatch, BudgetFilter, BudgetStore } from './budget-store.js';

// better-sqlite3 reports a duplicate as SQLITE_CONSTRAINT_<KIND>; pg with SQLSTATE 23505.
const uniqueViolationCodes = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY', '23505']);

function isUniqueViolation(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? (error as { code: unknown }).code : undefined;
  return typeof code === 'string' && uniqueViolationCodes.has(code);
}

function toColumns(definition: BudgetDefinition): BudgetsTable {
  return {
    id: definition.id,
    scope: definition.scope,
    scope_id: definition.scopeId,
    period: definition.period,
    limit_micros: definition.limitMicros,
    thresholds: JSON.stringify(definition.thresholds),
  };
}

// PostgreSQL hands bigint columns back as strings.
function fromColumns(row: Selectable<BudgetsTable>): BudgetDefinition {
  return {
    id: row.id,
    scope: row.scope as BudgetScopeKind,
    scopeId: row.scope_id,
    period: row.period as BudgetPeriod,
    limitMicros: Number(row.limit_micros),
    thresholds: JSON.parse(row.thresholds) as number[],
  };
}

/**
 * The `budgets` table as a {@link BudgetStore}. Pass `database.kysely`, or a transaction to make a budget
 * change part of a larger admin mutation (with its audit record).
 */
export class SqlBudgetStore implements BudgetStore {
  constructor(private readonly kysely: Kysely<DatabaseSchema>) {}

  async create(definition: BudgetDefinition): Promise<void> {
    const checked = parseBudgetDefinition(definition);
    try {
      await this.kysely.insertInto('budgets').values(toColumns(checked)).execute();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Reading again after a failed statement would fail inside a PostgreSQL transaction, so the message
      // names both possible causes instead of finding out which one it was.
      throw new GatewayError(
        'conflict',
        `Budget ${checked.id} already exists, or ${checked.scope} ${checked.scopeId} already has a ${checked.period} budget.`,
        { cause: error },
      );
    }
  }

  async get(id: string): Promise<BudgetDefinition | undefined> {
    const row = await this.kysely.selectFrom('budgets').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : fromColumns(row);
  }

  async list(filter?: BudgetFilter): Promise<BudgetDefinition[]> {
    let query = this.kysely.selectFrom('budgets').selectAll();
    if (filter !== undefined) query = query.where('scope', '=', filter.scope);
    if (filter?.scopeId !== undefined) query = query.where('scope_id', '=', filter.scopeId);
    const rows = await query.orderBy('scope').orderBy('scope_id').orderBy('period').orderBy('id').execute();
    return rows.map(fromColumns);
  }

  async listApplicable(subject: BudgetSubject): Promise<BudgetDefinition[]> {
    const owners: Array<[BudgetScopeKind, string | undefined]> = [
      ['key', subject.keyId],
      ['team', subject.teamId],
      ['workspace', subject.workspaceId],
      ['organisation', subject.organisationId],
    ];
    const rows = await this.kysely
      .selectFrom('budgets')
      .selectAll()
      .where((where) =>
        where.or(
          owners
            .filter((owner): owner is [BudgetScopeKind, string] => owner[1] !== undefined)
            .map(([scope, scopeId]) => where.and([where('scope', '=', scope), where('scope_id', '=', scopeId)])),
        ),
      )
      .orderBy('period')
      .orderBy('id')
      .execute();
    return applicableBudgets(rows.map(fromColumns), subject);
  }

  async update(id: string, patch: BudgetDefinitionPatch): Promise<BudgetDefinition | undefined> {
    const checked = parseBudgetPatch(patch);
    const changes: Partial<BudgetsTable> = {};
    if (checked.limitMicros !== undefined) changes.limit_micros = checked.limitMicros;
    if (checked.thresholds !== undefined) changes.thresholds = JSON.stringify(checked.thresholds);
    const row = await this.kysely.updateTable('budgets').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
    return row === undefined ? undefined : fromColumns(row);
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.kysely.deleteFrom('budgets').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
