import type { Command } from 'commander';
import type { AdminSession } from './admin-session.js';

/** Who a budget, limit or policy belongs to, as the admin API names it. */
export interface ScopeReference {
  scope: 'organisation' | 'workspace' | 'team' | 'key';
  scopeId: string;
}

/** The owner flags as commander parses them. */
export interface ScopeOptions {
  workspace?: string;
  team?: string;
  keyId?: string;
}

/** Adds `--workspace NAME`, `--team ID` (when teams may own it) and `--key-id ID`. */
export function withScopeOptions(command: Command, { teams, purpose }: { teams: boolean; purpose: string }): Command {
  command.option('-w, --workspace <name>', `${purpose} a workspace (by name)`);
  if (teams) command.option('--team <id>', `${purpose} a team`);
  return command.option('--key-id <id>', `${purpose} a virtual key`);
}

/** The owner the flags name, or undefined when none is given. At most one may be given. */
export async function scopeFromOptions(session: AdminSession, options: ScopeOptions): Promise<ScopeReference | undefined> {
  const given = [options.workspace, options.team, options.keyId].filter((value) => value !== undefined);
  if (given.length > 1) throw new Error('name one owner: --workspace, --team or --key-id');
  if (options.workspace !== undefined) return { scope: 'workspace', scopeId: (await session.workspace(options.workspace)).id };
  if (options.team !== undefined) return { scope: 'team', scopeId: options.team };
  if (options.keyId !== undefined) return { scope: 'key', scopeId: options.keyId };
  return undefined;
}

/** The owner the flags name, or else the organisation (`--org`, or the only one the key sees). */
export async function scopeOrOrganisation(session: AdminSession, options: ScopeOptions): Promise<ScopeReference> {
  return (await scopeFromOptions(session, options)) ?? { scope: 'organisation', scopeId: await session.organisationId() };
}

/** `workspace production`, `team team_1`, `organisation org_1` for tables (workspaces by name). */
export async function describeScope(session: AdminSession, reference: ScopeReference): Promise<string> {
  if (reference.scope !== 'workspace') return `${reference.scope} ${reference.scopeId}`;
  return `workspace ${await session.workspaceName(reference.scopeId)}`;
}

/** {@link describeScope} for every row, resolved before a table is printed (the printer is synchronous). */
export async function scopeLabels(session: AdminSession, references: ReadonlyArray<ScopeReference>): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  for (const reference of references) labels.set(`${reference.scope}:${reference.scopeId}`, await describeScope(session, reference));
  return labels;
}

/** The label of one row from {@link scopeLabels}. */
export function scopeLabel(labels: ReadonlyMap<string, string>, reference: ScopeReference): string {
  return labels.get(`${reference.scope}:${reference.scopeId}`) ?? `${reference.scope} ${reference.scopeId}`;
}
