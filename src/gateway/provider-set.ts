import type { ProviderAdapter } from '../spec/index.js';
import type { DiscoveryContext, ProviderDefinition } from '../providers/provider-definition.js';
import { ConfigError, formatPath, resolveSecretReferences, type ConfigProblem, type ProviderEntry } from '../config/index.js';

/** A provider instance the gateway can route to. */
export interface ProviderInstance {
  name: string;
  definition: ProviderDefinition;
  adapter: ProviderAdapter;
  /** How it was configured, for the start banner; `stored`: enabled at run time through the admin API. */
  origin: 'config' | 'environment' | 'stored';
  /** Runs on infrastructure the organisation controls ("local only" policies admit only these). */
  selfHosted: boolean;
}

/** Options of {@link buildProviderSet}. */
export interface BuildProviderSetOptions {
  entries: ProviderEntry[];
  definitions: ReadonlyArray<ProviderDefinition>;
  discovery: DiscoveryContext | undefined;
  /** Where `{ env: NAME }` secret references are looked up. */
  environment: Record<string, string | undefined>;
  /** The config file name, for error messages. */
  source: string;
}

/**
 * Builds the provider instances: every configured entry (secrets resolved, settings checked by the kind's
 * own schema), then, when discovery is on, each kind found in the environment that config did not already
 * name. All problems are reported together.
 */
export async function buildProviderSet(options: BuildProviderSetOptions): Promise<ProviderInstance[]> {
  const byKind = new Map(options.definitions.map((definition) => [definition.kind, definition]));
  const problems: ConfigProblem[] = [];
  const instances: ProviderInstance[] = [];
  const environment = options.environment;
  options.entries.forEach((entry, index) => {
    const definition = byKind.get(entry.kind);
    const prefix = `providers[${index}]`;
    if (definition === undefined) {
      problems.push({ source: options.source, path: `${prefix}.kind`, message: `unknown provider kind "${entry.kind}"; expected one of ${[...byKind.keys()].join(', ')}` });
      return;
    }
    const { name = entry.kind, kind: _kind, ...settings } = entry;
    const missing: Array<{ path: Array<string | number>; variable: string }> = [];
    const resolved = resolveSecretReferences(settings, environment, [], missing);
    for (const item of missing) {
      problems.push({ source: options.source, path: `${prefix}.${formatPath(item.path)}`, message: `environment variable ${item.variable} is not set` });
    }
    const parsed = definition.settingsSchema.safeParse(resolved);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push({ source: options.source, path: `${prefix}.${formatPath(issue.path)}`, message: issue.message.replace(/^Invalid input: /, '') });
      }
      return;
    }
    if (instances.some((instance) => instance.name === name)) {
      problems.push({ source: options.source, path: `${prefix}.name`, message: `duplicate provider name "${name}"` });
      return;
    }
    instances.push({ name, definition, adapter: definition.create(name, parsed.data), origin: 'config', selfHosted: definition.selfHosted?.(parsed.data) ?? false });
  });
  if (problems.length > 0) throw new ConfigError(problems);
  if (options.discovery !== undefined) {
    for (const definition of options.definitions) {
      if (instances.some((instance) => instance.definition.kind === definition.kind || instance.name === definition.kind)) continue;
      const settings = await definition.discover(options.discovery);
      if (settings === undefined) continue;
      instances.push({ name: definition.kind, definition, adapter: definition.create(definition.kind, settings), origin: 'environment', selfHosted: definition.selfHosted?.(settings) ?? false });
    }
  }
  return instances;
}
