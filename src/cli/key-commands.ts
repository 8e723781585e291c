import { InvalidArgumentError, type Command } from 'commander';
import type { z } from 'zod';
import type { keyWithSecretSchema, virtualKeySchema } from '../governance/admin/key-schemas.js';
import { adminDelete, adminList, adminPost } from './admin-http.js';
import { adminAction, withAdminOptions, type AdminSession } from './admin-session.js';
import { choiceParser, collectAssignment, collectList, formatTime, parseDuration } from './command-values.js';
import { formatList, type TableColumn } from './table.js';

/** A virtual key as the API shows it (never the secret). */
export type VirtualKeyView = z.output<typeof virtualKeySchema>;
type KeyWithSecretView = z.output<typeof keyWithSecretSchema>;

const roles = ['owner', 'admin', 'developer', 'viewer'] as const;

interface CreateKeyOptions {
  workspace: string;
  team?: string;
  role?: (typeof roles)[number];
  allowedModels?: string[];
  allowedRoutes?: string[];
  tag?: string[];
  metadata?: Array<[string, string]>;
  expiresIn?: number;
}

/** Where a key stands now: revoked and blocked win over an expiry. */
export function keyStatus(key: VirtualKeyView, nowMs: number): 'revoked' | 'blocked' | 'expired' | 'active' {
  if (key.revokedAt !== undefined) return 'revoked';
  if (key.blocked) return 'blocked';
  if (key.expiresAt !== undefined && key.expiresAt <= nowMs) return 'expired';
  return 'active';
}

/** `keys rotate --grace`: a whole number of seconds, `0` ending the old secret at once. */
export function parseGracePeriod(value: string): number {
  if (value.trim() === '0') return 0;
  const milliseconds = parseDuration(value);
  if (milliseconds % 1000 !== 0) throw new InvalidArgumentError('expected whole seconds, e.g. 0, 30m, 24h or 7d');
  return milliseconds / 1000;
}

function keyColumns(workspaceNames: ReadonlyMap<string, string>, nowMs: number): Array<TableColumn<VirtualKeyView>> {
  return [
    { header: 'id', cell: (key) => key.id },
    { header: 'name', cell: (key) => key.name },
    { header: 'prefix', cell: (key) => key.prefix },
    { header: 'workspace', cell: (key) => workspaceNames.get(key.workspaceId) ?? key.workspaceId },
    { header: 'role', cell: (key) => key.role },
    { header: 'status', cell: (key) => keyStatus(key, nowMs) },
    { header: 'last used', cell: (key) => formatTime(key.lastUsedAt) },
    { header: 'expires', cell: (key) => formatTime(key.expiresAt) },
  ];
}

/** A key by id, or by name when exactly one key the caller can see has it. */
async function resolveKeyId(session: AdminSession, idOrName: string): Promise<string> {
  const keys = await adminList<VirtualKeyView>(session.connection, '/admin/v1/keys', { organisationId: await session.organisationId() });
  if (keys.some((key) => key.id === idOrName)) return idOrName;
  const named = keys.filter((key) => key.name === idOrName && key.revokedAt === undefined);
  if (named.length === 1) return named[0].id;
  if (named.length > 1) throw new Error(`${named.length} keys are named ${idOrName}: name one by id (${named.map((key) => key.id).join(', ')})`);
  // Not in the list (e.g. another workspace): let the gateway say whether it exists and may be touched.
  return idOrName;
}

function printSecret(session: AdminSession, answer: KeyWithSecretView, headline: string): void {
  session.print(answer, () => {
    const grace = answer.previousSecretExpiresAt === undefined ? '' : `The previous secret works until ${formatTime(answer.previousSecretExpiresAt)}.\n`;
    return `${headline}\n${grace}Secret (shown only this once; store it now):\n${answer.secret}\n`;
  });
}

/** `switchyard keys create|list|rotate|revoke|block|unblock`: virtual keys. */
export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('virtual keys: create (the secret is shown once), list, rotate, revoke, block (admin API)');

  withAdminOptions(
    keys
      .command('create <name>')
      .description('create a virtual key in a workspace')
      .requiredOption('-w, --workspace <name>', 'the workspace the key belongs to')
      .option('--team <id>', 'the team the key belongs to')
      .option('--role <role>', `role on the admin API: ${roles.join(', ')} (default viewer)`, choiceParser(roles))
      .option('--allowed-models <models>', 'models the key may call (comma-separated, repeatable; default any the workspace allows)', collectList)
      .option('--allowed-routes <prefixes>', 'route prefixes, e.g. /admin/v1 (default: the gateway API only)', collectList)
      .option('--tag <tag>', 'a tag (repeatable)', collectList)
      .option('--metadata <name=value>', 'a metadata entry (repeatable)', collectAssignment)
      .option('--expires-in <duration>', 'refuse the key after this long, e.g. 30d', parseDuration),
  ).action(
    adminAction<CreateKeyOptions>(async (session, options, [name]) => {
      const workspace = await session.workspace(options.workspace);
      const body = {
        workspaceId: workspace.id,
        name,
        ...(options.team === undefined ? {} : { teamId: options.team }),
        ...(options.role === undefined ? {} : { role: options.role }),
        ...(options.allowedModels === undefined ? {} : { allowedModels: options.allowedModels }),
        ...(options.allowedRoutes === undefined ? {} : { allowedRoutes: options.allowedRoutes }),
        ...(options.tag === undefined ? {} : { tags: options.tag }),
        ...(options.metadata === undefined ? {} : { metadata: Object.fromEntries(options.metadata) }),
        // The expiry is counted from now on this machine: the API takes an instant.
        ...(options.expiresIn === undefined ? {} : { expiresAt: Date.now() + options.expiresIn }),
      };
      const created = await adminPost<KeyWithSecretView>(session.connection, '/admin/v1/keys', body);
      printSecret(session, created, `Created key ${created.key.name} (${created.key.id}) in workspace ${workspace.name}, role ${created.key.role}`);
    }),
  );

  withAdminOptions(keys.command('list').description('list virtual keys').option('-w, --workspace <name>', 'only the keys of this workspace')).action(
    adminAction<{ workspace?: string }>(async (session, options) => {
      const organisationId = await session.organisationId();
      const workspaceId = options.workspace === undefined ? undefined : (await session.workspace(options.workspace)).id;
      const found = await adminList<VirtualKeyView>(session.connection, '/admin/v1/keys', { organisationId, workspaceId });
      const names = session.json ? new Map<string, string>() : new Map((await session.workspaces()).map((workspace) => [workspace.id, workspace.name]));
      session.print(found, () => formatList(keyColumns(names, Date.now()), found, 'No keys.'));
    }),
  );

  withAdminOptions(
    keys
      .command('rotate <key>')
      .description('give a key (id or name) a new secret; the old one keeps working for the grace period')
      .option('--grace <duration>', 'how long the previous secret keeps working: 0 to 7d (default 24h)', parseGracePeriod),
  ).action(
    adminAction<{ grace?: number }>(async (session, options, [key]) => {
      const id = await resolveKeyId(session, key);
      const rotated = await adminPost<KeyWithSecretView>(session.connection, `/admin/v1/keys/${encodeURIComponent(id)}/rotate`, options.grace === undefined ? {} : { gracePeriodSeconds: options.grace });
      printSecret(session, rotated, `Rotated key ${rotated.key.name} (${rotated.key.id})`);
    }),
  );

  const lifecycle: Array<{ verb: 'revoke' | 'block' | 'unblock'; description: string; past: string }> = [
    { verb: 'revoke', description: 'revoke a key (id or name) for good, with the agent tokens it minted', past: 'Revoked' },
    { verb: 'block', description: 'refuse a key (id or name) until it is unblocked', past: 'Blocked' },
    { verb: 'unblock', description: 'accept a blocked key again', past: 'Unblocked' },
  ];
  for (const { verb, description, past } of lifecycle) {
    withAdminOptions(keys.command(`${verb} <key>`).description(description)).action(
      adminAction(async (session, _options, [key]) => {
        const id = await resolveKeyId(session, key);
        const path = `/admin/v1/keys/${encodeURIComponent(id)}`;
        const changed = verb === 'revoke' ? await adminDelete<VirtualKeyView>(session.connection, path) : await adminPost<VirtualKeyView>(session.connection, `${path}/${verb}`);
        session.print(changed, () => `${past} key ${changed.name} (${changed.id}, ${changed.prefix}...)\n`);
      }),
    );
  }
}
