import type { Kysely, Selectable } from 'kysely';
import type { DatabaseSchema, PoliciesTable } from '../../db/schema.js';
import { GatewayError } from '../../spec/index.js';
import { policyRulesSchema, policyScopeSchema, type PolicyRules } from './policy-definition.js';
import type { PolicyListFilter, PolicyStore, PolicyTarget, StoredPolicy } from './policy-store.js';

const scopeRank = { organisation: 0, workspace: 1, key: 2 } as const;

function fromColumns(row: Selectable<PoliciesTable>): StoredPolicy {
  // Rows were validated when written; parsing again keeps a hand-edited row from reaching evaluation as
  // something the evaluator does not understand.
  const policy: StoredPolicy = {
    id: row.id,
    scope: policyScopeSchema.parse(row.scope),
    scopeId: row.scope_id,
    rules: policyRulesSchema.parse(JSON.parse(row.rules)),
    organisationId: row.organisation_id,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
  if (row.workspace_id !== null) policy.workspaceId = row.workspace_id;
  return policy;
}

/**
 * The `policies` table as a {@link PolicyStore}, on SQLite and PostgreSQL alike. Give it the database's
 * Kysely instance, or a transaction to write in that transaction.
 */
export class SqlPolicyStore implements PolicyStore {
  constructor(private readonly kysely: Kysely<DatabaseSchema>) {}

  async createPolicy(policy: StoredPolicy): Promise<void> {
    const result = await this.kysely
      .insertInto('policies')
      .values({
        id: policy.id,
        organisation_id: policy.organisationId,
        workspace_id: policy.workspaceId ?? null,
        scope: policy.scope,
        scope_id: policy.scopeId,
        rules: JSON.stringify(policyRulesSchema.parse(policy.rules)),
        created_at: policy.createdAt,
        updated_at: policy.updatedAt,
      })
      // Not a caught constraint error: inside a PostgreSQL transaction a failed statement aborts the
      // transaction, while `do nothing` leaves it usable for the caller's audit record of the refusal.
      .onConflict((conflict) => conflict.column('id').doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) {
      throw new GatewayError('conflict', `A policy with id ${policy.id} already exists`, { param: 'id' });
    }
  }

  async getPolicy(id: string): Promise<StoredPolicy | undefined> {
    const row = await this.kysely.selectFrom('policies').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : fromColumns(row);
  }

  async updatePolicyRules(id: string, rules: PolicyRules, updatedAt: number): Promise<StoredPolicy | undefined> {
    const result = await this.kysely
      .updateTable('policies')
      .set({ rules: JSON.stringify(policyRulesSchema.parse(rules)), updated_at: updatedAt })
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return undefined;
    return this.getPolicy(id);
  }

  async deletePolicy(id: string): Promise<boolean> {
    const result = await this.kysely.deleteFrom('policies').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async listPolicies(filter: PolicyListFilter): Promise<StoredPolicy[]> {
    let query = this.kysely.selectFrom('policies').selectAll().where('organisation_id', '=', filter.organisationId);
    if (filter.workspaceId !== undefined) query = query.where('workspace_id', '=', filter.workspaceId);
    if (filter.scope !== undefined) query = query.where('scope', '=', filter.scope);
    if (filter.scopeId !== undefined) query = query.where('scope_id', '=', filter.scopeId);
    const rows = await query.orderBy('created_at').orderBy('id').execute();
    return rows.map(fromColumns);
  }

  async applicablePolicies(target: PolicyTarget): Promise<StoredPolicy[]> {
    const rows = await this.kysely
      .selectFrom('policies')
      .selectAll()
      .where('organisation_id', '=', target.organisationId)
      .where((where) => {
        const owners = [where.and([where('scope', '=', 'organisation'), where('scope_id', '=', target.organisationId)])];
        if (target.workspaceId !== undefined) owners.push(where.and([where('scope', '=', 'workspace'), where('scope_id', '=', target.workspaceId)]));
        if (target.keyId !== undefined) owners.push(where.and([where('scope', '=', 'key'), where('scope_id', '=', target.keyId)]));
        return where.or(owners);
      })
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    // Sorting by level here rather than in SQL keeps the query free of a CASE expression; the list is short.
    return rows.map(fromColumns).sort((left, right) => scopeRank[left.scope] - scopeRank[right.scope]);
  }
}
