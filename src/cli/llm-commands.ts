import type { Command } from 'commander';
import type { ProviderView } from '../governance/admin/provider-admin.js';
import { adminDelete, adminList, adminPost } from './admin-http.js';
import { adminAction, withAdminOptions, type AdminSession } from './admin-session.js';
import { adminPostStream } from './admin-stream.js';
import { PullProgressRenderer, type PullProgressLine } from './pull-progress.js';
import { formatList, type TableColumn } from './table.js';

/**
 * `switchyard llm ...`: providers enabled at run time through the admin API (`enable`, `list`, `disable`)
 * and models installed on a self-hosted server (`install llama3:8b`, pulled through Ollama).
 */
export function registerLlmCommands(program: Command): void {
  const llm = program.command('llm').description('providers enabled while the gateway runs, and models installed on them');

  withAdminOptions(
    llm
      .command('enable')
      .description('enable a provider now, without a restart (kept in the store; switchyard.yaml wins on names)')
      .requiredOption('--provider <kind>', 'provider kind: ollama, openai, anthropic, gemini, azure-openai, openai-compatible')
      .option('--name <name>', 'instance name; models are addressed as <name>/<model> (default: the kind)')
      .option('--host <url>', 'server address (ollama), e.g. http://gpu-box:11434')
      .option('--base-url <url>', 'API base URL (openai, anthropic, gemini, openai-compatible)')
      .option('--secret <secret-name>', 'a stored secret whose field "key" is the API key (switchyard secret create NAME --from-literal key=...)'),
  ).action(
    adminAction<{ provider: string; name?: string; host?: string; baseUrl?: string; secret?: string }>(async (session, options) => {
      const settings: Record<string, unknown> = {};
      if (options.host !== undefined) settings.host = options.host;
      if (options.baseUrl !== undefined) settings.baseUrl = options.baseUrl;
      if (options.secret !== undefined) settings.apiKey = { secret: options.secret, field: 'key' };
      // The secret lives in an organisation: the one asked for, else the caller's (the master key must say).
      const organisationId = options.org ?? (options.secret !== undefined ? await session.organisationId() : undefined);
      const body = { kind: options.provider, ...(options.name === undefined ? {} : { name: options.name }), ...(organisationId === undefined ? {} : { organisationId }), settings };
      const view = await adminPost<ProviderView>(session.connection, '/admin/v1/providers', body);
      session.print(view, () => `Enabled provider ${view.name} (${view.kind}${view.selfHosted ? ', self-hosted' : ''}): models as ${view.name}/<model>${view.canPullModels ? `; install one with \`switchyard llm install <model> --provider ${view.name}\`` : ''}\n`);
    }),
  );

  withAdminOptions(llm.command('list').description('list the providers: from switchyard.yaml, the environment, and enabled at run time')).action(
    adminAction(async (session) => {
      const providers = await adminList<ProviderView>(session.connection, '/admin/v1/providers');
      session.print(providers, () => formatList(providerColumns, providers, 'No provider yet: `switchyard llm enable --provider ollama`.'));
    }),
  );

  withAdminOptions(llm.command('disable <name>').description('remove a provider enabled at run time (providers of switchyard.yaml are removed there)')).action(
    adminAction(async (session, _options, [name]) => {
      const answer = await adminDelete<{ id: string; deleted: true }>(session.connection, `/admin/v1/providers/${encodeURIComponent(name)}`);
      session.print(answer, () => `Removed provider ${name}\n`);
    }),
  );

  withAdminOptions(
    llm
      .command('install <model>')
      .description('download a model onto a self-hosted provider (Ollama), with a progress bar')
      .option('--provider <name>', 'the provider instance (default: the only one that can install models)'),
  ).action(
    adminAction<{ provider?: string }>(async (session, options, [model]) => {
      const provider = options.provider ?? (await onlyPullableProvider(session));
      await installModel(session, provider, model);
    }),
  );
}

const providerColumns: ReadonlyArray<TableColumn<ProviderView>> = [
  { header: 'name', cell: (provider) => provider.name },
  { header: 'kind', cell: (provider) => provider.kind },
  { header: 'origin', cell: (provider) => provider.origin },
  { header: 'self-hosted', cell: (provider) => (provider.selfHosted ? 'yes' : 'no') },
  { header: 'install', cell: (provider) => (provider.canPullModels ? 'yes' : 'no') },
  { header: 'address', cell: (provider) => stringSetting(provider, 'host') ?? stringSetting(provider, 'baseUrl') ?? stringSetting(provider, 'endpoint') },
];

function stringSetting(provider: ProviderView, name: string): string | undefined {
  const value = provider.settings?.[name];
  return typeof value === 'string' ? value : undefined;
}

async function onlyPullableProvider(session: AdminSession): Promise<string> {
  const pullable = (await adminList<ProviderView>(session.connection, '/admin/v1/providers')).filter((provider) => provider.canPullModels);
  if (pullable.length === 1) return pullable[0].name;
  if (pullable.length === 0) throw new Error('no provider can install models: enable one with `switchyard llm enable --provider ollama`');
  throw new Error(`several providers can install models: pass --provider (one of ${pullable.map((provider) => provider.name).join(', ')})`);
}

/** Streams the pull, drawing progress on stderr; succeeds only on the final `success` line. */
async function installModel(session: AdminSession, provider: string, model: string): Promise<void> {
  const renderer = new PullProgressRenderer({ write: (text) => process.stderr.write(text), isTTY: process.stderr.isTTY === true, columns: process.stderr.columns });
  let succeeded = false;
  let failure: string | undefined;
  await adminPostStream(session.connection, `/admin/v1/providers/${encodeURIComponent(provider)}/pull`, { model }, (line) => {
    if (session.json) process.stdout.write(`${JSON.stringify(line)}\n`);
    const error = line.error as { message?: unknown } | undefined;
    if (error !== undefined) {
      failure = typeof error.message === 'string' ? error.message : JSON.stringify(error);
      return;
    }
    if (typeof line.status !== 'string') return;
    if (line.status === 'success') succeeded = true;
    if (!session.json) renderer.update(line as unknown as PullProgressLine);
  });
  renderer.finish();
  if (failure !== undefined) throw new Error(`installing ${model} on ${provider} failed: ${failure}`);
  if (!succeeded) throw new Error(`installing ${model} on ${provider} stopped before it finished (the stream ended without success)`);
  if (!session.json) process.stdout.write(`Installed ${model} on ${provider}: use it as ${provider}/${model}\n`);
}
