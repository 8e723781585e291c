import type { Command } from 'commander';
import { adminDelete, adminPatch, adminPost } from './admin-http.js';
import { adminAction, withAdminOptions, type WorkspaceView } from './admin-session.js';
import { formatTime } from './command-values.js';
import { formatLlm, llmFromOptions, nextLlmSettings, withLlmOptions, type LlmOptions } from './llm-options.js';
import { formatList } from './table.js';

const workspaceColumns = [
  { header: 'name', cell: (workspace: WorkspaceView) => workspace.name },
  { header: 'id', cell: (workspace: WorkspaceView) => workspace.id },
  { header: 'llm overrides', cell: (workspace: WorkspaceView) => formatLlm(workspace.llm) },
  { header: 'created', cell: (workspace: WorkspaceView) => formatTime(workspace.createdAt) },
];

/** `switchyard workspace list|create|set-llm|delete`, workspaces named as on the command line. */
export function registerWorkspaceCommands(program: Command): void {
  const workspace = program.command('workspace').description('workspaces and their model overrides (admin API)');

  withAdminOptions(workspace.command('list').description("list the organisation's workspaces")).action(
    adminAction(async (session) => {
      const workspaces = await session.workspaces();
      session.print(workspaces, () => formatList(workspaceColumns, workspaces, 'No workspaces.'));
    }),
  );

  withAdminOptions(withLlmOptions(workspace.command('create <name>').description('create a workspace, optionally with model overrides'), { replaceFlag: false })).action(
    adminAction<LlmOptions>(async (session, options, [name]) => {
      const organisationId = await session.organisationId();
      const created = await adminPost<WorkspaceView>(session.connection, '/admin/v1/workspaces', { organisationId, name, llm: llmFromOptions(options) });
      session.print(created, () => `Created workspace ${created.name} (${created.id})\n`);
    }),
  );

  withAdminOptions(
    withLlmOptions(workspace.command('set-llm <name>').description("override the organisation's model defaults in one workspace"), { replaceFlag: true }),
  ).action(
    adminAction<LlmOptions>(async (session, options, [name]) => {
      const current = await session.workspace(name);
      const updated = await adminPatch<WorkspaceView>(session.connection, `/admin/v1/workspaces/${encodeURIComponent(current.id)}`, { llm: nextLlmSettings(current.llm, options) });
      session.print(updated, () => `Workspace ${updated.name} (${updated.id}) model overrides: ${formatLlm(updated.llm)}\n`);
    }),
  );

  withAdminOptions(workspace.command('delete <name>').description('delete a workspace that has no keys')).action(
    adminAction(async (session, _options, [name]) => {
      const target = await session.workspace(name);
      const deleted = await adminDelete<{ id: string; deleted: true }>(session.connection, `/admin/v1/workspaces/${encodeURIComponent(target.id)}`);
      session.print(deleted, () => `Deleted workspace ${target.name} (${target.id})\n`);
    }),
  );
}
