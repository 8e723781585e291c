import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { DatabaseSchema, RateLimitsTable } from '../../db/schema.js';
import { toInvalidRequestError } from '../../kit/validation-error.js';
import { GatewayError } from '../../spec/gateway-error.js';
import { parseLimitDefinition, type LimitDefinition, type LimitDefinitionInput, type LimitScope, type LimitSubject } from './limit-definition.js';
import type { LimitDefinitionPatch, LimitFilter, LimitStore } from './limit-store.js';

// better-sqlite3 reports a duplicate as SQLITE_CONSTRAINT_<KIND>; pg with SQLSTATE 23505.
const uniqueViolationCodes = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY', '23505']);

function isUniqueViolation(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? (error as { code: unknown }).code : undefined;
  return typeof code === 'string' && uniqueViolationCodes.has(code);
}

// Only the shape here: the values are judged on the merged definition, where every rule applies.
const patchSchema = z.strictObject({
  limit: z.unknown().optional(),
  windowMs: z.unknown().optional(),
  algorithm: z.unknown().optional(),
  model: z.unknown().optional(),
});

function toColumns(definition: LimitDefinition): RateLimitsTable {
  return {
    id: definition.id,
    scope: definition.scope,
    scope_id: definition.scopeId,
    model: definition.model ?? null,
    metric: definition.metric,
    limit_value: definition.limit,
    window_ms: definition.windowMs ?? null,
    algorithm: definition.algorithm,
  };
}

// PostgreSQL hands bigint columns back as strings.
function fromColumns(row: Selectable<RateLimitsTable>): LimitDefinition {
  const definition: LimitDefinition = {
    id: row.id,
    scope: row.scope as LimitDefinition['scope'],
    scopeId: row.scope_id,
    metric: row.metric as LimitDefinition['metric'],
    limit: Number(row.limit_value),
    algorithm: row.algorithm as LimitDefinition['algorithm'],
  };
  // Absent rather than undefined, so a stored definition equals the parsed one it came from.
  if (row.model !== null) definition.model = row.model;
  if (row.window_ms !== null) definition.windowMs = Number(row.window_ms);
  return definition;
}

/**
 * The `rate_limits` table as a {@link LimitStore}. Pass `database.kysely`, or a transaction to make a limit
 * change part of a larger admin mutation (with its audit record).
 */
export class SqlLimitStore implements LimitStore {
  constructor(private readonly kysely: Kysely<DatabaseSchema>) {}

  async create(input: LimitDefinitionInput): Promise<LimitDefinition> {
    const definition = parseLimitDefinition(input);
    try {
      await this.kysely.insertInto('rate_limits').values(toColumns(definition)).execute();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new GatewayError('conflict', `Rate limit ${definition.id} already exists.`, { cause: error });
    }
    return definition;
  }

  async get(id: string): Promise<LimitDefinition | undefined> {
    const row = await this.kysely.selectFrom('rate_limits').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : fromColumns(row);
  }

  async list(filter?: LimitFilter): Promise<LimitDefinition[]> {
    let query = this.kysely.selectFrom('rate_limits').selectAll();
    if (filter !== undefined) query = query.where('scope', '=', filter.scope);
    if (filter?.scopeId !== undefined) query = query.where('scope_id', '=', filter.scopeId);
    const rows = await query.orderBy('scope').orderBy('scope_id').orderBy('metric').orderBy('id').execute();
    return rows.map(fromColumns);
  }

  async listApplicable(subject: Omit<LimitSubject, 'model'>): Promise<LimitDefinition[]> {
    const owners: Array<[LimitScope, string | undefined]> = [
      ['key', subject.keyId],
      ['team', subject.teamId],
      ['workspace', subject.workspaceId],
      ['organisation', subject.organisationId],
    ];
    const rows = await this.kysely
      .selectFrom('rate_limits')
      .selectAll()
      .where((where) =>
        where.or(
          owners
            .filter((owner): owner is [LimitScope, string] => owner[1] !== undefined)
            .map(([scope, scopeId]) => where.and([where('scope', '=', scope), where('scope_id', '=', scopeId)])),
        ),
      )
      .orderBy('scope')
      .orderBy('metric')
      .orderBy('id')
      .execute();
    return rows.map(fromColumns);
  }

  async update(id: string, patch: LimitDefinitionPatch): Promise<LimitDefinition | undefined> {
    const shape = patchSchema.safeParse(patch);
    if (!shape.success) throw toInvalidRequestError(shape.error);
    const current = await this.get(id);
    if (current === undefined) return undefined;
    const merged: Record<string, unknown> = { ...current };
    for (const [field, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      if (value === null && field === 'model') delete merged.model;
      else merged[field] = value;
    }
    const definition = parseLimitDefinition(merged);
    // Owner and metric never change, so the fields written here cannot clash with a concurrent update's.
    const columns = toColumns(definition);
    const row = await this.kysely
      .updateTable('rate_limits')
      .set({ model: columns.model, limit_value: columns.limit_value, window_ms: columns.window_ms, algorithm: columns.algorithm })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? undefined : fromColumns(row);
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.kysely.deleteFrom('rate_limits').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
