import { Kysely, type Selectable } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/index.js';
import type { DatabaseSchema, SecretsTable } from '../../db/schema.js';
import { GatewayError } from '../../spec/gateway-error.js';
import type { SecretCipher } from './secret-cipher.js';
import type { SecretDescriptor, SecretStore } from './secret-store.js';

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const organisationIdSchema = z.string().min(1).max(200);
const secretNameSchema = z.string().min(1).max(128).regex(namePattern);
const fieldNameSchema = z.string().min(1).max(64).regex(namePattern);
// Provider credentials are short; the bound stops a value the size of a file from landing in a row.
const maximumValueLength = 65_536;

/** A database, or a Kysely instance / transaction to run in (so an admin mutation can write it atomically). */
export type SecretStoreExecutor = Kysely<DatabaseSchema> | Pick<Database, 'kysely'>;

function invalid(message: string): GatewayError {
  return new GatewayError('invalid_request', message);
}

// The messages name the offending name, never a value: values are the secrets.
function checkIdentity(organisationId: string, name: string): void {
  if (!organisationIdSchema.safeParse(organisationId).success) throw invalid('A secret needs an organisation id');
  if (!secretNameSchema.safeParse(name).success) {
    throw invalid('A secret name is 1 to 128 letters, digits, dots, dashes or underscores, starting with a letter or digit');
  }
}

function checkFields(fields: Record<string, string>): void {
  const entries = fields !== null && typeof fields === 'object' ? Object.entries(fields) : [];
  if (entries.length === 0) throw invalid('A secret holds at least one field (e.g. key=...)');
  for (const [field, value] of entries) {
    if (!fieldNameSchema.safeParse(field).success) {
      throw invalid('A secret field name is 1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit');
    }
    if (typeof value !== 'string') throw invalid(`The value of secret field '${field}' must be a string`);
    if (value.length > maximumValueLength) throw invalid(`The value of secret field '${field}' is longer than ${maximumValueLength} characters`);
  }
}

function sealedFieldsOf(columns: Pick<Selectable<SecretsTable>, 'fields'>): Record<string, string> {
  return JSON.parse(columns.fields) as Record<string, string>;
}

function describeRow(columns: Selectable<SecretsTable>): SecretDescriptor {
  return {
    name: columns.name,
    organisationId: columns.organisation_id,
    fields: Object.keys(sealedFieldsOf(columns)).sort(),
    createdAt: Number(columns.created_at),
    updatedAt: Number(columns.updated_at),
  };
}

/**
 * The {@link SecretStore} on SQLite or PostgreSQL. Each field value is sealed on its own (see
 * {@link SecretCipher}) and the row keeps only the sealed text; list and describe read field names, never
 * open anything.
 */
export class SqlSecretStore implements SecretStore {
  readonly #executor: Kysely<DatabaseSchema>;
  readonly #cipher: SecretCipher;

  constructor(executor: SecretStoreExecutor, cipher: SecretCipher) {
    this.#executor = executor instanceof Kysely ? executor : executor.kysely;
    this.#cipher = cipher;
  }

  async put(organisationId: string, name: string, fields: Record<string, string>, atMs: number): Promise<SecretDescriptor> {
    checkIdentity(organisationId, name);
    checkFields(fields);
    const sealed: Record<string, string> = {};
    for (const field of Object.keys(fields).sort()) sealed[field] = this.#cipher.seal(fields[field], { organisationId, name, field });
    const text = JSON.stringify(sealed);
    // A replacement keeps the creation time and drops fields that are not given again.
    const row = await this.#executor
      .insertInto('secrets')
      .values({ organisation_id: organisationId, name, fields: text, created_at: atMs, updated_at: atMs })
      .onConflict((conflict) => conflict.columns(['organisation_id', 'name']).doUpdateSet({ fields: text, updated_at: atMs }))
      .returningAll()
      .executeTakeFirstOrThrow();
    return describeRow(row);
  }

  async list(organisationId: string): Promise<SecretDescriptor[]> {
    const rows = await this.#executor.selectFrom('secrets').selectAll().where('organisation_id', '=', organisationId).orderBy('name').execute();
    return rows.map(describeRow);
  }

  async describe(organisationId: string, name: string): Promise<SecretDescriptor | undefined> {
    const row = await this.#select(organisationId, name);
    return row === undefined ? undefined : describeRow(row);
  }

  async reveal(organisationId: string, name: string): Promise<Record<string, string> | undefined> {
    const row = await this.#select(organisationId, name);
    if (row === undefined) return undefined;
    let sealed: Record<string, string>;
    try {
      sealed = sealedFieldsOf(row);
    } catch {
      throw new GatewayError('internal_error', `The stored secret '${name}' (organisation ${organisationId}) is not readable`);
    }
    const values: Record<string, string> = {};
    for (const [field, value] of Object.entries(sealed)) {
      // The row's own organisation and name, not a caller's spelling, are what the value was bound to.
      values[field] = this.#cipher.open(String(value), { organisationId: row.organisation_id, name: row.name, field });
    }
    return values;
  }

  async delete(organisationId: string, name: string): Promise<boolean> {
    const result = await this.#executor.deleteFrom('secrets').where('organisation_id', '=', organisationId).where('name', '=', name).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  #select(organisationId: string, name: string): Promise<Selectable<SecretsTable> | undefined> {
    return this.#executor.selectFrom('secrets').selectAll().where('organisation_id', '=', organisationId).where('name', '=', name).executeTakeFirst();
  }
}
