import { resolveStoredSecretReferences, type RevealSecret } from '../config/stored-provider-settings.js';
import type { StoredProvider, StoredProviderInput, StoredProviderStore } from '../config/stored-provider-store.js';
import type { SecretStore } from '../governance/secrets/secret-store.js';
import type { ModelPullProgress, ProviderDefinition } from '../providers/provider-definition.js';
import { GatewayError, type CallOptions } from '../spec/index.js';
import type { ModelResolver } from './model-resolver.js';
import type { ProviderInstance } from './provider-set.js';

/** Options of {@link LiveProviderSet}. */
export interface LiveProviderSetOptions {
  /** The instance map the gateway already shares (Gateway, PriceLookup, model listing): updated in place. */
  providers: Map<string, ProviderInstance>;
  /** The gateway's resolver (its instance list and direct names follow the map). */
  resolver: ModelResolver;
  /** The provider kinds, as for `buildProviderSet`. */
  definitions: ReadonlyArray<ProviderDefinition>;
}

/** A stored provider that could not be brought up (its secret was deleted, its kind is unknown...). */
export interface StoredProviderProblem {
  name: string;
  message: string;
}

/** Instance names: used as the `<name>/` prefix of model names, so no slash and nothing exotic. */
const providerNamePattern = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/**
 * The gateway's provider instances, changeable while it runs: providers from switchyard.yaml and the
 * environment (fixed at start) plus providers enabled through the admin API (stored, added and removed at
 * run time). Stored instances are built exactly as `buildProviderSet` builds configured ones: the kind's
 * settings schema checks the settings (with secret references resolved) and its `create` makes the adapter.
 * A stored provider may not take the name of a configured one: the file wins, the API gets a conflict.
 */
export class LiveProviderSet {
  private readonly byKind: Map<string, ProviderDefinition>;
  /** Names of the instances configured at start (file or environment). */
  private readonly configuredNames: ReadonlySet<string>;
  /** The `updatedAt` of each stored provider installed, so {@link synchronise} rebuilds only what changed. */
  private readonly installedVersions = new Map<string, number>();

  constructor(private readonly options: LiveProviderSetOptions) {
    this.byKind = new Map(options.definitions.map((definition) => [definition.kind, definition]));
    this.configuredNames = new Set(options.providers.keys());
  }

  /** Every instance: configured ones first, then stored ones, in the order they were added. */
  instances(): ProviderInstance[] {
    return [...this.options.providers.values()];
  }

  /** The instance of that name, whatever its origin. */
  get(name: string): ProviderInstance | undefined {
    return this.options.providers.get(name);
  }

  /** True when the name belongs to a provider of switchyard.yaml or the environment. */
  isConfigured(name: string): boolean {
    return this.configuredNames.has(name);
  }

  /**
   * Checks a stored provider and builds its instance, without installing it: a known kind, a usable name
   * not taken by a configured provider (`conflict`), secret references that resolve through `reveal` and
   * settings the kind's schema accepts (`invalid_request` naming the setting, never a value).
   */
  async build(provider: StoredProviderInput, reveal: RevealSecret | undefined): Promise<ProviderInstance> {
    const definition = this.byKind.get(provider.kind);
    if (definition === undefined) {
      throw new GatewayError('invalid_request', `kind: unknown provider kind "${provider.kind}"; expected one of ${[...this.byKind.keys()].join(', ')}`, { param: 'kind' });
    }
    if (!providerNamePattern.test(provider.name)) {
      throw new GatewayError('invalid_request', 'name: 1 to 63 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit', { param: 'name' });
    }
    if (this.configuredNames.has(provider.name)) {
      throw new GatewayError('conflict', `A provider named ${provider.name} is configured in switchyard.yaml or the environment, which wins; choose another name (--name)`, { param: 'name' });
    }
    const resolved = await resolveStoredSecretReferences(provider.settings, reveal);
    const parsed = definition.settingsSchema.safeParse(resolved);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const param = ['settings', ...issue.path.map(String)].join('.');
      const message = issue.code === 'unrecognized_keys' ? `unknown setting${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}` : issue.message.replace(/^Invalid input: /, '');
      throw new GatewayError('invalid_request', `${param}: ${message}`, { param });
    }
    return {
      name: provider.name,
      definition,
      adapter: definition.create(provider.name, parsed.data),
      origin: 'stored',
      selfHosted: definition.selfHosted?.(parsed.data) ?? false,
    };
  }

  /** Puts a built stored instance in service, replacing the stored one of that name if any. */
  install(instance: ProviderInstance, version: number): void {
    if (instance.origin !== 'stored' || this.configuredNames.has(instance.name)) {
      throw new GatewayError('conflict', `The provider ${instance.name} is configured in switchyard.yaml or the environment and cannot be replaced at run time`);
    }
    this.options.resolver.addProvider(instance);
    // Replacing keeps the map's order; a new name goes last (bare model names try configured providers first).
    this.options.providers.set(instance.name, instance);
    this.installedVersions.set(instance.name, version);
  }

  /** Takes a stored instance out of service. False when there is none of that name; a configured one is a conflict. */
  remove(name: string): boolean {
    if (this.configuredNames.has(name)) throw new GatewayError('conflict', `The provider ${name} is configured in switchyard.yaml or the environment; remove it there`);
    if (!this.options.providers.has(name)) return false;
    this.options.resolver.removeProvider(name);
    this.options.providers.delete(name);
    this.installedVersions.delete(name);
    return true;
  }

  /**
   * Brings the stored instances in line with the store: builds new and changed ones (each with the secrets
   * of its organisation), removes those no longer stored. Run at start and whenever another replica says a
   * provider changed. A provider that cannot be built is reported, not thrown, so one bad row never stops
   * the gateway; an installed version of it stays in service until it can be rebuilt.
   */
  async synchronise(store: Pick<StoredProviderStore, 'list'>, secrets: Pick<SecretStore, 'reveal'>): Promise<StoredProviderProblem[]> {
    const stored = await store.list();
    const problems: StoredProviderProblem[] = [];
    for (const provider of stored) {
      if (this.installedVersions.get(provider.name) === provider.updatedAt) continue;
      try {
        this.install(await this.build(provider, revealFor(provider, secrets)), provider.updatedAt);
      } catch (error) {
        problems.push({ name: provider.name, message: error instanceof Error ? error.message : String(error) });
      }
    }
    const names = new Set(stored.map((provider) => provider.name));
    for (const name of [...this.installedVersions.keys()]) if (!names.has(name)) this.remove(name);
    return problems;
  }
}

export type { ModelPullProgress } from '../providers/provider-definition.js';

/**
 * Downloads a model onto an instance's server through its kind's `pullModel` capability (the gateway never
 * names the provider: a kind that cannot install models is an `invalid_request`).
 */
export function pullModelThrough(instance: ProviderInstance, model: string, call: CallOptions): AsyncIterable<ModelPullProgress> {
  const pull = instance.definition.pullModel;
  if (pull === undefined) throw new GatewayError('invalid_request', `The provider ${instance.name} (kind ${instance.definition.kind}) cannot install models`, { param: 'name' });
  return pull.call(instance.definition, instance.adapter, model, call);
}

/** The secret reader of a stored provider's organisation (none when it belongs to no organisation). */
export function revealFor(provider: Pick<StoredProvider, 'organisationId'>, secrets: Pick<SecretStore, 'reveal'>): RevealSecret | undefined {
  const organisationId = provider.organisationId;
  return organisationId === undefined ? undefined : (name) => secrets.reveal(organisationId, name);
}
