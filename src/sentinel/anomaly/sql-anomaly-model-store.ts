import { Kysely, type Selectable } from 'kysely';
import type { Database, DatabaseSchema } from '../../db/index.js';
import { GatewayError } from '../../spec/index.js';
import { readStoredModel, type AnomalyModel } from './anomaly-model.js';
import { defaultModelListLimit, type AnomalyModelStore, type AnomalyModelSummary, type AnomalyModelVersion, type ModelStatus, type ModelValidation } from './anomaly-model-store.js';

/** The table of migration `0013-anomaly-models`. */
export interface AnomalyModelsTable {
  id: string;
  version: number;
  status: string;
  created_at: number | string | bigint;
  activated_at: number | string | bigint | null;
  trained_from: number | string | bigint;
  trained_until: number | string | bigint;
  series_count: number;
  /** {@link ModelValidation}, JSON. */
  validation: string;
  /** {@link AnomalyModel}, JSON. */
  model: string;
}

export type AnomalyModelTables = { anomaly_models: AnomalyModelsTable };

type SummaryColumns = Omit<Selectable<AnomalyModelsTable>, 'model'>;
const summaryColumns = ['id', 'version', 'status', 'created_at', 'activated_at', 'trained_from', 'trained_until', 'series_count', 'validation'] as const;

function parseJson<T>(text: string, id: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new GatewayError('internal_error', `The stored anomaly model ${id} is not readable`);
  }
}

function toSummary(row: SummaryColumns): AnomalyModelSummary {
  return {
    id: row.id,
    version: Number(row.version),
    status: row.status as ModelStatus,
    createdAt: Number(row.created_at),
    trainedFrom: Number(row.trained_from),
    trainedUntil: Number(row.trained_until),
    seriesCount: Number(row.series_count),
    validation: parseJson<ModelValidation>(row.validation, row.id),
    ...(row.activated_at === null ? {} : { activatedAt: Number(row.activated_at) }),
  };
}

function toVersion(row: Selectable<AnomalyModelsTable>): AnomalyModelVersion {
  return { ...toSummary(row), model: readStoredModel(parseJson<AnomalyModel>(row.model, row.id), row.id) };
}

/** The {@link AnomalyModelStore} on SQLite or PostgreSQL (one Kysely query codebase). */
export class SqlAnomalyModelStore implements AnomalyModelStore {
  readonly #executor: Kysely<DatabaseSchema & AnomalyModelTables>;

  constructor(executor: Kysely<DatabaseSchema> | Pick<Database, 'kysely'>) {
    this.#executor = (executor instanceof Kysely ? executor : executor.kysely).withTables<AnomalyModelTables>();
  }

  async save(version: AnomalyModelVersion): Promise<void> {
    // One transaction: there is never a moment with two active versions, or none after a failed insert.
    await this.#executor.transaction().execute(async (transaction) => {
      if (version.status === 'active') await transaction.updateTable('anomaly_models').set({ status: 'inactive' }).where('status', '=', 'active').execute();
      await transaction
        .insertInto('anomaly_models')
        .values({
          id: version.id,
          version: version.version,
          status: version.status,
          created_at: version.createdAt,
          activated_at: version.activatedAt ?? null,
          trained_from: version.trainedFrom,
          trained_until: version.trainedUntil,
          series_count: version.seriesCount,
          validation: JSON.stringify(version.validation),
          model: JSON.stringify(version.model),
        })
        .execute();
    });
  }

  async get(id: string): Promise<AnomalyModelVersion | undefined> {
    const row = await this.#executor.selectFrom('anomaly_models').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toVersion(row);
  }

  async active(): Promise<AnomalyModelVersion | undefined> {
    const row = await this.#executor.selectFrom('anomaly_models').selectAll().where('status', '=', 'active').executeTakeFirst();
    return row === undefined ? undefined : toVersion(row);
  }

  async list(options: { limit?: number } = {}): Promise<AnomalyModelSummary[]> {
    const rows = await this.#executor
      .selectFrom('anomaly_models')
      .select([...summaryColumns])
      .orderBy('version', 'desc')
      .limit(Math.max(0, Math.floor(options.limit ?? defaultModelListLimit)))
      .execute();
    return rows.map(toSummary);
  }

  async latestVersion(): Promise<number> {
    const row = await this.#executor.selectFrom('anomaly_models').select((builder) => builder.fn.max('version').as('latest')).executeTakeFirst();
    return row?.latest === null || row?.latest === undefined ? 0 : Number(row.latest);
  }

  async activate(id: string, atMs: number): Promise<boolean> {
    return this.#executor.transaction().execute(async (transaction) => {
      const found = await transaction.selectFrom('anomaly_models').select(['status']).where('id', '=', id).executeTakeFirst();
      if (found === undefined || found.status === 'rejected') return false;
      await transaction.updateTable('anomaly_models').set({ status: 'inactive' }).where('status', '=', 'active').execute();
      await transaction.updateTable('anomaly_models').set({ status: 'active', activated_at: atMs }).where('id', '=', id).execute();
      return true;
    });
  }
}
