import type { Command } from 'commander';
import type { z } from 'zod';
import type { organisationSchema } from '../governance/admin/organisation-admin.js';
import type { workspaceSchema } from '../governance/admin/workspace-admin.js';
import type { AdminConnection } from './admin-client.js';
import { adminApiConnection, adminList } from './admin-http.js';

/** An organisation as the admin API returns it. */
export type OrganisationView = z.output<typeof organisationSchema>;
/** A workspace as the admin API returns it. */
export type WorkspaceView = z.output<typeof workspaceSchema>;

/** The options every governance command takes. */
export interface AdminCommandOptions {
  url?: string;
  key?: string;
  json?: boolean;
  org?: string;
}

/** Adds `--url`, `--key`, `--json` and `--org` to a governance command. */
export function withAdminOptions(command: Command): Command {
  return command
    .option('--url <url>', 'gateway address (default SWITCHYARD_URL or http://127.0.0.1:4000)')
    .option('--key <key>', 'admin key: the master key or a virtual key allowed /admin/v1 (default SWITCHYARD_ADMIN_KEY, then SWITCHYARD_MASTER_KEY)')
    .option('--org <id>', 'organisation id (default: the only organisation the key can see)')
    .option('--json', 'print the JSON answer, for scripts');
}

/**
 * One CLI command's conversation with the admin API: the connection, the organisation it works in, names
 * resolved to ids (workspaces are named on the command line, the API takes ids), and the output in the
 * format asked for.
 */
export class AdminSession {
  readonly connection: AdminConnection;
  readonly json: boolean;
  private readonly organisationOption: string | undefined;
  private organisationPromise: Promise<string> | undefined;
  private workspacesPromise: Promise<WorkspaceView[]> | undefined;

  constructor(options: AdminCommandOptions, private readonly write: (text: string) => void = (text) => process.stdout.write(text)) {
    this.connection = adminApiConnection(options);
    this.json = options.json === true;
    this.organisationOption = options.org;
  }

  /**
   * The organisation to work in: `--org`, or else the only one the key can read (a virtual key sees its
   * own; the master key sees all, so with several it must be told which).
   */
  organisationId(): Promise<string> {
    this.organisationPromise ??= this.organisationOption !== undefined ? Promise.resolve(this.organisationOption) : this.onlyOrganisation();
    return this.organisationPromise;
  }

  private async onlyOrganisation(): Promise<string> {
    const organisations = await adminList<OrganisationView>(this.connection, '/admin/v1/organisations');
    if (organisations.length === 1) return organisations[0].id;
    if (organisations.length === 0) throw new Error('no organisation yet: create one with `switchyard org create NAME`');
    throw new Error(`this key sees ${organisations.length} organisations: pass --org (one of ${organisations.map((organisation) => `${organisation.id} (${organisation.name})`).join(', ')})`);
  }

  /** The workspaces of the organisation the caller may read. */
  workspaces(): Promise<WorkspaceView[]> {
    this.workspacesPromise ??= this.organisationId().then((organisationId) => adminList<WorkspaceView>(this.connection, '/admin/v1/workspaces', { organisationId }));
    return this.workspacesPromise;
  }

  /** A workspace by its name (or its id), with an error listing the names there are. */
  async workspace(nameOrId: string): Promise<WorkspaceView> {
    const workspaces = await this.workspaces();
    const found = workspaces.find((workspace) => workspace.name === nameOrId) ?? workspaces.find((workspace) => workspace.id === nameOrId);
    if (found !== undefined) return found;
    const known = workspaces.length === 0 ? 'there are none yet (switchyard workspace create NAME)' : `known: ${workspaces.map((workspace) => workspace.name).join(', ')}`;
    throw new Error(`no workspace named ${nameOrId} in organisation ${await this.organisationId()}; ${known}`);
  }

  /** The name of a workspace id for tables (the id itself when the caller cannot read that workspace). */
  async workspaceName(id: string): Promise<string> {
    try {
      return (await this.workspaces()).find((workspace) => workspace.id === id)?.name ?? id;
    } catch {
      // Names only decorate a table whose data was already read: a caller that may not list workspaces sees ids.
      return id;
    }
  }

  /** Prints `value` as JSON with `--json`, else the human text. */
  print(value: unknown, human: () => string): void {
    this.write(this.json ? `${JSON.stringify(value, null, 2)}\n` : human());
  }
}

/**
 * A commander action for a governance command: `body` gets the session, the command's options and its
 * positional arguments (commander passes them first, then the options and the command).
 */
export function adminAction<Options extends object = object>(
  body: (session: AdminSession, options: Options & AdminCommandOptions, positional: string[]) => Promise<void>,
): (...values: unknown[]) => Promise<void> {
  return async (...values) => {
    const command = values[values.length - 1] as Command;
    // Options of the command and of its parents, so `--json` works wherever it is written.
    const options = command.optsWithGlobals<Options & AdminCommandOptions>();
    const positional = values.slice(0, values.length - 2).filter((value): value is string => typeof value === 'string');
    await body(new AdminSession(options), options, positional);
  };
}
