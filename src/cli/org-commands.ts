import type { Command } from 'commander';
import { adminApiGet, adminList, adminPatch, adminPost } from './admin-http.js';
import { adminAction, withAdminOptions, type OrganisationView } from './admin-session.js';
import { formatTime } from './command-values.js';
import { formatLlm, llmFromOptions, nextLlmSettings, withLlmOptions, type LlmOptions } from './llm-options.js';
import { formatList } from './table.js';

const organisationColumns = [
  { header: 'id', cell: (organisation: OrganisationView) => organisation.id },
  { header: 'name', cell: (organisation: OrganisationView) => organisation.name },
  { header: 'llm defaults', cell: (organisation: OrganisationView) => formatLlm(organisation.llm) },
  { header: 'created', cell: (organisation: OrganisationView) => formatTime(organisation.createdAt) },
];

/** `switchyard org list|create|set-llm`: organisations and their model defaults. */
export function registerOrgCommands(program: Command): void {
  const org = program.command('org').description('organisations and their model defaults (admin API)');

  withAdminOptions(org.command('list').description('list the organisations the key can see')).action(
    adminAction(async (session) => {
      const organisations = await adminList<OrganisationView>(session.connection, '/admin/v1/organisations');
      session.print(organisations, () => formatList(organisationColumns, organisations, 'No organisations.'));
    }),
  );

  withAdminOptions(withLlmOptions(org.command('create <name>').description('create an organisation (master key)'), { replaceFlag: false })).action(
    adminAction<LlmOptions>(async (session, options, [name]) => {
      const organisation = await adminPost<OrganisationView>(session.connection, '/admin/v1/organisations', { name, llm: llmFromOptions(options) });
      session.print(organisation, () => `Created organisation ${organisation.name} (${organisation.id})\n`);
    }),
  );

  withAdminOptions(
    withLlmOptions(org.command('set-llm').description("set the organisation's model defaults (workspaces and keys inherit them)"), { replaceFlag: true }),
  ).action(
    adminAction<LlmOptions>(async (session, options) => {
      const organisationId = await session.organisationId();
      const path = `/admin/v1/organisations/${encodeURIComponent(organisationId)}`;
      const current = await adminApiGet<OrganisationView>(session.connection, path);
      const updated = await adminPatch<OrganisationView>(session.connection, path, { llm: nextLlmSettings(current.llm, options) });
      session.print(updated, () => `Organisation ${updated.name} (${updated.id}) model defaults: ${formatLlm(updated.llm)}\n`);
    }),
  );
}
