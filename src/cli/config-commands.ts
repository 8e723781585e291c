import type { Command } from 'commander';
import { loadConfig } from '../config/index.js';
import type { ModelGroup } from '../gateway/routing/index.js';

async function loadResolver(file: string | undefined) {
  // Loaded on use, so that the light commands do not pay for the gateway's modules.
  const [{ ModelResolver }, { PriceLookup }, { buildProviderSet }, { probeUrl }, { providerDefinitions }, { ModelCatalog }] = await Promise.all([
    import('../gateway/model-resolver.js'),
    import('../gateway/price-lookup.js'),
    import('../gateway/provider-set.js'),
    import('../kit/probe-url.js'),
    import('../providers/registry.js'),
    import('../registry/index.js'),
  ]);
  const loaded = loadConfig({ file, environment: process.env, cwd: process.cwd() });
  const providers = await buildProviderSet({
    entries: loaded.config.providers,
    definitions: providerDefinitions,
    environment: process.env,
    discovery: loaded.config.discoverProviders ? { environment: process.env, probe: (url) => probeUrl(url, 300) } : undefined,
    source: loaded.file ?? 'configuration',
  });
  const groupTable = new Map<string, ModelGroup>();
  const catalog = ModelCatalog.bundled();
  const resolver = new ModelResolver({ groups: loaded.config.models, providers, catalog, groupTable, source: loaded.file ?? 'configuration' });
  const prices = new PriceLookup(catalog, new Map(providers.map((instance) => [instance.name, instance])), loaded.config.pricing);
  return { loaded, providers, resolver, groupTable, prices, catalog };
}

/** `switchyard config validate` and `switchyard config explain`. */
export function registerConfigCommands(program: Command): void {
  const config = program.command('config').description('check and explain the configuration');
  config
    .command('validate')
    .description('load the config (file + environment) and report every problem')
    .option('-c, --config <file>', 'config file')
    .action(async (options: { config?: string }) => {
      const { loaded, providers } = await loadResolver(options.config);
      process.stdout.write(
        `Configuration OK${loaded.file ? ` (${loaded.file})` : ' (defaults + environment)'}: ${providers.length} provider(s), ${loaded.config.models.length} model group(s), preset ${loaded.config.preset}\n`,
      );
    });
  config
    .command('explain')
    .description('show what a request would get: model defaults and where each came from, allowed models, the deployment, prices, fallbacks')
    .requiredOption('-m, --model <model>', 'the model name a client sends ("default" for the hierarchy\'s own)')
    .option('-k, --key <key>', 'a virtual key: its id (key_...), its visible prefix, or the key itself')
    .option('-c, --config <file>', 'config file')
    .option('--json', 'print JSON')
    .action(async (options: { config?: string; model: string; key?: string; json?: boolean }) => {
      const context = await loadResolver(options.config);
      const { explainRequest } = await import('./explain-command.js');
      process.stdout.write(await explainRequest(context, { model: options.model, key: options.key, json: options.json === true }));
    });
}
