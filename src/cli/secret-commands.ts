import type { Command } from 'commander';
import type { z } from 'zod';
import type { secretDescriptorSchema } from '../governance/admin/secret-admin.js';
import { adminDelete, adminList, adminPost } from './admin-http.js';
import { adminAction, withAdminOptions } from './admin-session.js';
import { collectAssignment, formatTime } from './command-values.js';
import { formatList } from './table.js';

/** What the API shows of a secret: field names, never values. */
type SecretView = z.output<typeof secretDescriptorSchema>;

interface CreateSecretOptions {
  fromLiteral?: Array<[string, string]>;
  fromEnv?: Array<[string, string]>;
}

const secretColumns = [
  { header: 'name', cell: (secret: SecretView) => secret.name },
  { header: 'fields', cell: (secret: SecretView) => secret.fields.join(',') },
  { header: 'updated', cell: (secret: SecretView) => formatTime(secret.updatedAt) },
  { header: 'created', cell: (secret: SecretView) => formatTime(secret.createdAt) },
];

/**
 * The fields of a new secret. `--from-env field=VARIABLE` reads the value from the environment, so it
 * does not sit in the shell history or the process list as a `--from-literal` value would.
 */
export function secretFields(options: CreateSecretOptions, environment: NodeJS.ProcessEnv): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [field, value] of options.fromLiteral ?? []) fields[field] = value;
  for (const [field, variable] of options.fromEnv ?? []) {
    const value = environment[variable];
    if (value === undefined || value === '') throw new Error(`--from-env ${field}=${variable}: the environment variable ${variable} is not set`);
    fields[field] = value;
  }
  if (Object.keys(fields).length === 0) throw new Error('give at least one field: --from-literal key=VALUE or --from-env key=VARIABLE');
  return fields;
}

/** `switchyard secret create|list|delete`: provider credentials, stored encrypted by the gateway. */
export function registerSecretCommands(program: Command): void {
  const secret = program.command('secret').description('provider credentials, stored encrypted; values are never shown (admin API)');

  withAdminOptions(
    secret
      .command('create <name>')
      .description('create or replace a secret (e.g. secret create openai-api-key --from-literal key=sk-...)')
      .option('--from-literal <field=value>', 'a field and its value (repeatable)', collectAssignment)
      .option('--from-env <field=VARIABLE>', 'a field read from an environment variable (repeatable)', collectAssignment),
  ).action(
    adminAction<CreateSecretOptions>(async (session, options, [name]) => {
      const fields = secretFields(options, process.env);
      const organisationId = await session.organisationId();
      const stored = await adminPost<SecretView>(session.connection, '/admin/v1/secrets', { organisationId, name, fields });
      session.print(stored, () => `Stored secret ${stored.name} (fields: ${stored.fields.join(', ')}; values are stored encrypted and never shown)\n`);
    }),
  );

  withAdminOptions(secret.command('list').description("list the organisation's secrets (names and field names only)")).action(
    adminAction(async (session) => {
      const secrets = await adminList<SecretView>(session.connection, '/admin/v1/secrets', { organisationId: await session.organisationId() });
      session.print(secrets, () => formatList(secretColumns, secrets, 'No secrets.'));
    }),
  );

  withAdminOptions(secret.command('delete <name>').description('delete a secret')).action(
    adminAction(async (session, _options, [name]) => {
      const deleted = await adminDelete<{ id: string; deleted: true }>(session.connection, `/admin/v1/secrets/${encodeURIComponent(name)}`, { organisationId: await session.organisationId() });
      session.print(deleted, () => `Deleted secret ${name}\n`);
    }),
  );
}
