import { Kysely, type Selectable } from 'kysely';
import type { Database } from '../db/index.js';
import type { DatabaseSchema, StoredProvidersTable } from '../db/schema.js';
import { GatewayError } from '../spec/gateway-error.js';
import type { StoredProvider, StoredProviderInput, StoredProviderStore } from './stored-provider-store.js';

/** A database, or a Kysely instance / transaction (so an admin change and its audit record commit together). */
export type StoredProviderStoreExecutor = Kysely<DatabaseSchema> | Pick<Database, 'kysely'>;

function toStoredProvider(row: Selectable<StoredProvidersTable>): StoredProvider {
  let settings: Record<string, unknown>;
  try {
    settings = JSON.parse(row.settings) as Record<string, unknown>;
  } catch {
    throw new GatewayError('internal_error', `The stored settings of provider ${row.name} are not readable`);
  }
  return {
    name: row.name,
    kind: row.kind,
    ...(row.organisation_id === null ? {} : { organisationId: row.organisation_id }),
    settings,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** The {@link StoredProviderStore} on SQLite or PostgreSQL (one Kysely query codebase). */
export class SqlStoredProviderStore implements StoredProviderStore {
  readonly #executor: Kysely<DatabaseSchema>;

  constructor(executor: StoredProviderStoreExecutor) {
    this.#executor = executor instanceof Kysely ? executor : executor.kysely;
  }

  async put(provider: StoredProviderInput, atMs: number): Promise<StoredProvider> {
    const settings = JSON.stringify(provider.settings);
    const organisationId = provider.organisationId ?? null;
    const row = await this.#executor
      .insertInto('stored_providers')
      .values({ name: provider.name, kind: provider.kind, organisation_id: organisationId, settings, created_at: atMs, updated_at: atMs })
      .onConflict((conflict) => conflict.column('name').doUpdateSet({ kind: provider.kind, organisation_id: organisationId, settings, updated_at: atMs }))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toStoredProvider(row);
  }

  async get(name: string): Promise<StoredProvider | undefined> {
    const row = await this.#executor.selectFrom('stored_providers').selectAll().where('name', '=', name).executeTakeFirst();
    return row === undefined ? undefined : toStoredProvider(row);
  }

  async list(): Promise<StoredProvider[]> {
    const rows = await this.#executor.selectFrom('stored_providers').selectAll().orderBy('name').execute();
    return rows.map(toStoredProvider);
  }

  async delete(name: string): Promise<boolean> {
    const result = await this.#executor.deleteFrom('stored_providers').where('name', '=', name).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
