import { SqliteAdapter, type Kysely, type Selectable, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../db/index.js';
import type { DatabaseSchema, UsageDailyTable, UsageLedgerTable } from '../db/schema.js';
import {
  queryLimitOf,
  rollupKeyOf,
  type DailyRollupQuery,
  type DailyUsage,
  type LedgerAttempt,
  type LedgerQuery,
  type SpendScope,
  type LedgerRow,
  type LedgerTrace,
  type UsageRollup,
  type UsageRollupQuery,
} from './ledger-row.js';
import { applyLedgerFilters, hasSearchText } from './sql-ledger-filters.js';
import { searchNewestFirst } from './sqlite-text-search.js';
import type { UsageLedger } from './usage-ledger.js';
import { addRowToCounters, rollupCounters, rollupDeltas, usageCounterColumns, rollupKeyColumns, toUsageRollup, type RollupDelta } from './usage-rollup-deltas.js';

// About 30 columns a row: 200 rows stay far below SQLite's and PostgreSQL's bound-parameter limits.
const rowsPerInsert = 200;

type Counters = Omit<UsageDailyTable, 'day' | 'key_id' | 'model' | 'provider'>;
type DailyDelta = { day: string; key_id: string; model: string; provider: string } & {
  [counter in keyof Counters]: number;
};
const counterColumns = usageCounterColumns;

function toColumns(row: LedgerRow): UsageLedgerTable {
  return {
    id: row.id,
    timestamp: row.timestamp,
    key_id: row.keyId ?? null,
    dialect: row.dialect,
    operation: row.operation,
    requested_model: row.requestedModel,
    served_provider: row.servedProvider ?? null,
    served_model: row.servedModel ?? null,
    deployment_id: row.deploymentId ?? null,
    stream: row.stream ? 1 : 0,
    status: row.status,
    http_status: row.httpStatus,
    error_code: row.errorCode ?? null,
    attempts: JSON.stringify(row.attempts),
    latency_ms: row.latencyMs,
    time_to_first_token_ms: row.timeToFirstTokenMs ?? null,
    input_tokens: row.inputTokens ?? null,
    cache_read_tokens: row.cacheReadTokens ?? null,
    cache_write_tokens: row.cacheWriteTokens ?? null,
    output_tokens: row.outputTokens ?? null,
    reasoning_tokens: row.reasoningTokens ?? null,
    usage_source: row.usageSource,
    cost_micros: row.costMicros ?? null,
    finish_reason: row.finishReason ?? null,
    gateway_overhead_ms: row.gatewayOverheadMs ?? null,
    guardrails: row.guardrails ?? null,
    organisation_id: row.organisationId ?? null,
    workspace_id: row.workspaceId ?? null,
    team_id: row.teamId ?? null,
    trace_id: row.trace?.traceId ?? null,
    session_id: row.trace?.sessionId ?? null,
    trace_timeline: row.trace === undefined ? null : JSON.stringify(timelineOf(row.trace)),
  };
}

/** What `trace_timeline` keeps: the row's trace without the two fields that have columns of their own. */
function timelineOf(trace: LedgerTrace): Omit<LedgerTrace, 'traceId' | 'sessionId'> {
  const { traceId: _traceId, sessionId: _sessionId, ...timeline } = trace;
  return timeline;
}

// PostgreSQL hands back bigint as string and double precision as number; SQLite gives numbers.
function optionalNumber(value: number | string | bigint | null): number | undefined {
  return value === null ? undefined : Number(value);
}

/** A ledger row from its columns (also read by the trace store, which derives the gateway's spans from it). */
export function ledgerRowOfColumns(columns: Selectable<UsageLedgerTable>): LedgerRow {
  const row: LedgerRow = {
    id: columns.id,
    timestamp: Number(columns.timestamp),
    dialect: columns.dialect,
    operation: columns.operation as LedgerRow['operation'],
    requestedModel: columns.requested_model,
    stream: Number(columns.stream) === 1,
    status: columns.status as LedgerRow['status'],
    httpStatus: Number(columns.http_status),
    attempts: JSON.parse(columns.attempts) as LedgerAttempt[],
    latencyMs: Number(columns.latency_ms),
    usageSource: columns.usage_source as LedgerRow['usageSource'],
  };
  const optional: Partial<LedgerRow> = {
    keyId: columns.key_id ?? undefined,
    organisationId: columns.organisation_id ?? undefined,
    workspaceId: columns.workspace_id ?? undefined,
    teamId: columns.team_id ?? undefined,
    servedProvider: columns.served_provider ?? undefined,
    servedModel: columns.served_model ?? undefined,
    deploymentId: columns.deployment_id ?? undefined,
    errorCode: columns.error_code ?? undefined,
    timeToFirstTokenMs: optionalNumber(columns.time_to_first_token_ms),
    inputTokens: optionalNumber(columns.input_tokens),
    cacheReadTokens: optionalNumber(columns.cache_read_tokens),
    cacheWriteTokens: optionalNumber(columns.cache_write_tokens),
    outputTokens: optionalNumber(columns.output_tokens),
    reasoningTokens: optionalNumber(columns.reasoning_tokens),
    costMicros: optionalNumber(columns.cost_micros),
    finishReason: columns.finish_reason ?? undefined,
    gatewayOverheadMs: optionalNumber(columns.gateway_overhead_ms),
    guardrails: columns.guardrails ?? undefined,
  };
  // Absent, not present-and-undefined, so rows compare equal to what was appended.
  for (const [name, value] of Object.entries(optional)) {
    if (value !== undefined) (row as unknown as Record<string, unknown>)[name] = value;
  }
  if (columns.trace_id !== null && columns.trace_timeline !== null) {
    const trace: LedgerTrace = { traceId: columns.trace_id, ...(JSON.parse(columns.trace_timeline) as Omit<LedgerTrace, 'traceId' | 'sessionId'>) };
    if (columns.session_id !== null) trace.sessionId = columns.session_id;
    row.trace = trace;
  }
  return row;
}

function dailyDeltas(rows: LedgerRow[]): DailyDelta[] {
  const deltas = new Map<string, DailyDelta>();
  for (const row of rows) {
    const bucket = rollupKeyOf(row);
    const mapKey = `${bucket.day}\u0000${bucket.keyId}\u0000${bucket.model}\u0000${bucket.provider}`;
    let delta = deltas.get(mapKey);
    if (!delta) {
      delta = { day: bucket.day, key_id: bucket.keyId, model: bucket.model, provider: bucket.provider } as DailyDelta;
      for (const counter of counterColumns) delta[counter] = 0;
      deltas.set(mapKey, delta);
    }
    addRowToCounters(delta, row);
  }
  return [...deltas.values()];
}

function fromDaily(columns: Selectable<UsageDailyTable>): DailyUsage {
  const usage: DailyUsage = {
    day: columns.day,
    model: columns.model,
    requests: Number(columns.requests),
    errors: Number(columns.errors),
    inputTokens: Number(columns.input_tokens),
    cacheReadTokens: Number(columns.cache_read_tokens),
    cacheWriteTokens: Number(columns.cache_write_tokens),
    outputTokens: Number(columns.output_tokens),
    reasoningTokens: Number(columns.reasoning_tokens),
    costMicros: Number(columns.cost_micros),
  };
  if (columns.key_id !== '') usage.keyId = columns.key_id;
  if (columns.provider !== '') usage.provider = columns.provider;
  return usage;
}

/**
 * The embedded store's append: the same INSERT and rollup UPSERT that Kysely builds for any dialect, compiled
 * once for one row and run as prepared statements in one SQLite transaction per batch (a few microseconds a
 * row, where building and preparing a multi-row statement per batch cost tens).
 */
function createSqliteAppend(kysely: Kysely<DatabaseSchema>, sqlite: NonNullable<Database['sqlite']>): (rows: LedgerRow[]) => void {
  const ledgerColumns = Object.keys(toColumns(sampleRow)) as Array<keyof UsageLedgerTable>;
  const insertSql = kysely
    .insertInto('usage_ledger')
    .values(Object.fromEntries(ledgerColumns.map((column) => [column, column])) as never)
    .onConflict((conflict) => conflict.column('id').doNothing())
    .compile();
  const dailyColumns = ['day', 'key_id', 'model', 'provider', ...counterColumns] as const;
  const upsertSql = kysely
    .insertInto('usage_daily')
    .values(Object.fromEntries(dailyColumns.map((column) => [column, column])) as never)
    .onConflict((conflict) =>
      conflict.columns(['day', 'key_id', 'model', 'provider']).doUpdateSet((update) => {
        const set: Record<string, unknown> = {};
        for (const counter of counterColumns) set[counter] = update(`usage_daily.${counter}`, '+', update.ref(`excluded.${counter}`));
        return set as never;
      }),
    )
    .compile();
  // The placeholders' values are the column names, so the compiled parameter list gives each one's position.
  const rollupSql = kysely
    .insertInto('usage_rollups')
    .values(Object.fromEntries([...rollupKeyColumns, ...rollupCounters].map((column) => [column, column])) as never)
    .onConflict((conflict) => conflict.columns([...rollupKeyColumns]).doUpdateSet(addExcluded('usage_rollups', rollupCounters)))
    .compile();
  const insertOrder = insertSql.parameters as Array<keyof UsageLedgerTable>;
  const upsertOrder = upsertSql.parameters as Array<keyof DailyDelta>;
  const rollupOrder = rollupSql.parameters as Array<keyof RollupDelta>;
  const insert = sqlite.prepare(insertSql.sql);
  const upsert = sqlite.prepare(upsertSql.sql);
  const upsertRollup = sqlite.prepare(rollupSql.sql);
  return sqlite.transaction((rows: LedgerRow[]) => {
    const inserted: LedgerRow[] = [];
    for (const row of rows) {
      const columns = toColumns(row);
      if (insert.run(insertOrder.map((column) => columns[column])).changes === 1) inserted.push(row);
    }
    for (const delta of dailyDeltas(inserted)) upsert.run(upsertOrder.map((column) => delta[column]));
    for (const delta of rollupDeltas(inserted)) upsertRollup.run(rollupOrder.map((column) => delta[column]));
  });
}

const sampleRow: LedgerRow = {
  id: '',
  timestamp: 0,
  dialect: '',
  operation: 'chat',
  requestedModel: '',
  stream: false,
  status: 'ok',
  httpStatus: 0,
  attempts: [],
  latencyMs: 0,
  usageSource: 'none',
};

/** `counter = table.counter + excluded.counter` for each counter of an upsert. */
function addExcluded(table: 'usage_daily' | 'usage_rollups', counters: readonly string[]) {
  return (update: any) => {
    const set: Record<string, unknown> = {};
    for (const counter of counters) set[counter] = update(`${table}.${counter}`, '+', update.ref(`excluded.${counter}`));
    return set as never;
  };
}

const spendColumns = { key: 'key_id', team: 'team_id', workspace: 'workspace_id', organisation: 'organisation_id' } as const;

/** The usage ledger in SQL (SQLite or PostgreSQL through Kysely; one query codebase for both). */
export class SqlUsageLedger implements UsageLedger {
  private readonly kysely: Kysely<DatabaseSchema>;

  /** Reads go through the read-only connection where there is one (see `Database.reader`). */
  private readonly reads: Kysely<DatabaseSchema>;

  private readonly appendSqlite: ((rows: LedgerRow[]) => void) | undefined;

  private readonly sqliteInTransaction: () => boolean;

  private readonly isSqlite: boolean;

  constructor(database: Pick<Database, 'kysely'> & Partial<Pick<Database, 'sqlite' | 'reader'>>) {
    this.kysely = database.kysely;
    this.reads = database.reader ?? database.kysely;
    const sqlite = database.sqlite;
    this.appendSqlite = sqlite ? createSqliteAppend(database.kysely, sqlite) : undefined;
    this.sqliteInTransaction = () => sqlite?.inTransaction === true;
    this.isSqlite = database.kysely.getExecutor().adapter instanceof SqliteAdapter;
  }

  async append(rows: LedgerRow[]): Promise<void> {
    if (rows.length === 0) return;
    if (this.appendSqlite !== undefined) {
      // The prepared statements bypass Kysely's connection lock. While a Kysely transaction (an admin change)
      // is open between two of its statements, a write here would join it and vanish with its rollback, so
      // it waits for that transaction to end.
      while (this.sqliteInTransaction()) await new Promise((resolve) => setTimeout(resolve, 1));
      this.appendSqlite(rows);
      return;
    }
    await this.kysely.transaction().execute(async (transaction) => {
      const inserted: LedgerRow[] = [];
      for (let start = 0; start < rows.length; start += rowsPerInsert) {
        const chunk = rows.slice(start, start + rowsPerInsert);
        // Ids already stored are skipped, and only the rows really inserted feed the rollup, so a batch
        // retried after an unclear failure does not count twice.
        const result = await transaction
          .insertInto('usage_ledger')
          .values(chunk.map(toColumns))
          .onConflict((conflict) => conflict.column('id').doNothing())
          .returning('id')
          .execute();
        const insertedIds = new Set(result.map((entry) => entry.id));
        for (const row of chunk) {
          if (insertedIds.delete(row.id)) inserted.push(row);
        }
      }
      const deltas = dailyDeltas(inserted);
      if (deltas.length === 0) return;
      const rollups = rollupDeltas(inserted);
      // 14 columns a delta: 500 stay below PostgreSQL's bound-parameter limit.
      for (let start = 0; start < rollups.length; start += 500) {
        await transaction
          .insertInto('usage_rollups')
          .values(rollups.slice(start, start + 500))
          .onConflict((conflict) => conflict.columns([...rollupKeyColumns]).doUpdateSet(addExcluded('usage_rollups', rollupCounters)))
          .execute();
      }
      await transaction
        .insertInto('usage_daily')
        .values(deltas)
        .onConflict((conflict) =>
          conflict.columns(['day', 'key_id', 'model', 'provider']).doUpdateSet((update) => {
            const set: Record<string, unknown> = {};
            for (const counter of counterColumns) {
              set[counter] = update(`usage_daily.${counter}`, '+', update.ref(`excluded.${counter}`));
            }
            return set as never;
          }),
        )
        .execute();
    });
  }

  async query(filter: LedgerQuery = {}): Promise<LedgerRow[]> {
    if (this.isSqlite && hasSearchText(filter)) {
      // Collecting every match of a common word to keep the newest 50 took seconds at a million rows; the
      // newest candidates are searched first (undefined: the word is rare there, collect as below).
      const ids = await searchNewestFirst(this.reads, filter, (candidates) => this.#filtered(candidates, { ...filter, text: undefined }));
      if (ids !== undefined) {
        if (ids.length === 0) return [];
        const rows = await this.reads.selectFrom('usage_ledger').selectAll().where('id', 'in', ids).orderBy('timestamp', 'desc').orderBy('id', 'desc').execute();
        return rows.map(ledgerRowOfColumns);
      }
    }
    const statement = await this.#filtered(this.reads.selectFrom('usage_ledger').selectAll(), filter);
    if (statement === undefined) return [];
    const rows = await statement
      .orderBy('timestamp', 'desc')
      .orderBy('id', 'desc')
      .limit(queryLimitOf(filter))
      .execute();
    return rows.map(ledgerRowOfColumns);
  }

  /** `statement` with the filter's conditions and its `afterId` cursor; undefined when the cursor is unknown. */
  async #filtered<Selection>(statement: SelectQueryBuilder<DatabaseSchema, 'usage_ledger', Selection>, filter: LedgerQuery) {
    let filtered = applyLedgerFilters(statement, filter, this.isSqlite);
    if (filter.afterId !== undefined) {
      const cursor = await this.reads
        .selectFrom('usage_ledger')
        .select(['id', 'timestamp'])
        .where('id', '=', filter.afterId)
        .executeTakeFirst();
      if (!cursor) return undefined;
      const cursorTime = Number(cursor.timestamp);
      filtered = filtered.where((where) =>
        where.or([
          where('timestamp', '<', cursorTime),
          where.and([where('timestamp', '=', cursorTime), where('id', '<', cursor.id)]),
        ]),
      );
    }
    return filtered;
  }

  async dailyRollup(filter: DailyRollupQuery = {}): Promise<DailyUsage[]> {
    let statement = this.reads.selectFrom('usage_daily').selectAll();
    if (filter.since !== undefined) statement = statement.where('day', '>=', filter.since);
    if (filter.keyId !== undefined) statement = statement.where('key_id', '=', filter.keyId);
    const rows = await statement
      .orderBy('day')
      .orderBy('key_id')
      .orderBy('model')
      .orderBy('provider')
      .execute();
    return rows.map(fromDaily);
  }

  async spentMicros(scope: SpendScope, since: number, until: number): Promise<number> {
    const column = spendColumns[scope.kind];
    const row = await this.reads
      .selectFrom('usage_ledger')
      .select((select) => select.fn.sum<number | string | bigint | null>('cost_micros').as('spent'))
      .where(column, '=', scope.id)
      .where('timestamp', '>=', since)
      .where('timestamp', '<', until)
      .executeTakeFirst();
    return Number(row?.spent ?? 0);
  }

  async rollups(filter: UsageRollupQuery): Promise<UsageRollup[]> {
    let statement = this.reads
      .selectFrom('usage_rollups')
      .select(['day', 'value'])
      .select((select) => rollupCounters.map((counter) => select.fn.sum<number | string>(counter).as(counter)))
      .where('dimension', '=', filter.groupBy);
    if (filter.since !== undefined) statement = statement.where('day', '>=', filter.since);
    if (filter.until !== undefined) statement = statement.where('day', '<=', filter.until);
    if (filter.organisationId !== undefined) statement = statement.where('organisation_id', '=', filter.organisationId);
    if (filter.workspaceId !== undefined) statement = statement.where('workspace_id', '=', filter.workspaceId);
    const rows = await statement.groupBy(['day', 'value']).orderBy('day').orderBy('value').execute();
    return rows.map((row) => toUsageRollup(filter.groupBy, row));
  }

  async prune(olderThan: number, limit?: number): Promise<number> {
    // A bounded batch deletes the oldest rows through the timestamp index: a short statement, a short lock.
    const result =
      limit === undefined
        ? await this.kysely.deleteFrom('usage_ledger').where('timestamp', '<', olderThan).executeTakeFirst()
        : await this.kysely
            .deleteFrom('usage_ledger')
            .where('id', 'in', (select) => select.selectFrom('usage_ledger').select('id').where('timestamp', '<', olderThan).orderBy('timestamp').limit(limit))
            .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async pruneRollups(beforeDay: string): Promise<number> {
    // One day a call: a day's rollups are a few rows per key and model, so each statement stays small.
    const oldest = await this.kysely.selectFrom('usage_rollups').select((select) => select.fn.min<string>('day').as('day')).where('day', '<', beforeDay).executeTakeFirst();
    const oldestDaily = await this.kysely.selectFrom('usage_daily').select((select) => select.fn.min<string>('day').as('day')).where('day', '<', beforeDay).executeTakeFirst();
    const day = [oldest?.day, oldestDaily?.day].filter((found): found is string => typeof found === 'string').sort()[0];
    if (day === undefined) return 0;
    const daily = await this.kysely.deleteFrom('usage_daily').where('day', '=', day).executeTakeFirst();
    const rollups = await this.kysely.deleteFrom('usage_rollups').where('day', '=', day).executeTakeFirst();
    return Number(daily.numDeletedRows) + Number(rollups.numDeletedRows);
  }
}
