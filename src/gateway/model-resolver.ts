import { GatewayError } from '../spec/index.js';
import { ConfigError, type ConfigProblem, type ModelGroupConfig } from '../config/index.js';
import type { ModelCatalog } from '../registry/index.js';
import type { ProviderInstance } from './provider-set.js';
import type { Deployment, ModelGroup } from './routing/index.js';

/** Options of {@link ModelResolver}. */
export interface ModelResolverOptions {
  groups: ModelGroupConfig[];
  providers: ProviderInstance[];
  catalog: ModelCatalog;
  /** The router's group table; direct names (`provider/model`) are added to it as they are first used. */
  groupTable: Map<string, ModelGroup>;
  /** The config file name, for error messages. */
  source: string;
}

/** Direct names remembered at most (client-chosen names must not grow memory without bound). */
const maximumRememberedNames = 10_000;

/**
 * Turns the model name a client sent into a routing group:
 * 1. a configured group (`models:` in config) by its public name;
 * 2. `<provider>/<model>`: that provider instance serving that upstream model;
 * 3. a bare name the model catalog knows (`gpt-4o-mini`): the first provider instance that serves it.
 * Resolutions of 2 and 3 are remembered, so each name is worked out once.
 */
export class ModelResolver {
  private readonly providers: ProviderInstance[];
  private readonly byName: Map<string, ProviderInstance>;

  constructor(private readonly options: ModelResolverOptions) {
    this.providers = options.providers;
    this.byName = new Map(options.providers.map((instance) => [instance.name, instance]));
    this.validate();
    for (const group of options.groups) {
      options.groupTable.set(group.name, {
        name: group.name,
        strategy: group.strategy,
        deployments: group.deployments.map((deployment, index) => this.toDeployment(group.name, deployment, index)),
        fallbacks: group.fallbacks,
        contextWindowFallbacks: group.contextWindowFallbacks,
      });
    }
  }

  /** The routing group name for a client's model name, or a `model_not_found` / `no_provider_configured` error. */
  resolve(model: string): string {
    const table = this.options.groupTable;
    if (table.has(model)) return model;
    if (this.providers.length === 0) {
      throw new GatewayError(
        'no_provider_configured',
        'No provider is configured. Set OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, AZURE_OPENAI_API_KEY + AZURE_OPENAI_ENDPOINT or OLLAMA_HOST, or add providers to switchyard.yaml, then restart.',
      );
    }
    const slash = model.indexOf('/');
    if (slash > 0) {
      const instance = this.byName.get(model.slice(0, slash));
      const upstreamModel = model.slice(slash + 1);
      if (instance !== undefined && upstreamModel !== '') return this.remember(model, instance, upstreamModel);
    }
    const catalogProviders = this.options.catalog.providersFor(model);
    for (const instance of this.providers) {
      if (instance.definition.catalogProviders.some((provider) => catalogProviders.includes(provider))) {
        return this.remember(model, instance, model);
      }
    }
    const known = [...table.keys()].slice(0, 10);
    throw new GatewayError(
      'model_not_found',
      `The model "${model}" does not exist or no configured provider serves it. Name it as <provider>/<model> (providers: ${this.providers.map((instance) => instance.name).join(', ')})${known.length > 0 ? ` or use a configured model (${known.join(', ')})` : ''}.`,
      { param: 'model' },
    );
  }

  /** The first deployment of a resolved group (for single-shot calls such as token counting). */
  firstDeployment(group: string): Deployment | undefined {
    return this.options.groupTable.get(group)?.deployments[0];
  }

  /** The configured groups (public names). */
  configuredGroups(): ModelGroup[] {
    return this.options.groups.map((group) => this.options.groupTable.get(group.name)!);
  }

  /**
   * Adds a provider instance at run time, or replaces the one of that name (a provider enabled through the
   * admin API). The instance list given to the constructor is updated in place, so whoever shares it sees
   * the change. Direct names the old instance served are forgotten, so they resolve afresh.
   */
  addProvider(instance: ProviderInstance): void {
    const index = this.providers.findIndex((existing) => existing.name === instance.name);
    if (index === -1) this.providers.push(instance);
    else this.providers[index] = instance;
    this.byName.set(instance.name, instance);
    this.forgetDirectNamesOf(instance.name);
  }

  /**
   * Removes a provider added at run time, with the direct names it served. Refused (`conflict`) while a
   * configured model group deploys to it. False when there is no provider of that name.
   */
  removeProvider(name: string): boolean {
    const index = this.providers.findIndex((existing) => existing.name === name);
    if (index === -1) return false;
    const using = this.options.groups.filter((group) => group.deployments.some((deployment) => deployment.provider === name)).map((group) => group.name);
    if (using.length > 0) throw new GatewayError('conflict', `The provider ${name} is deployed by the configured model groups ${using.join(', ')}`);
    this.providers.splice(index, 1);
    this.byName.delete(name);
    this.forgetDirectNamesOf(name);
    return true;
  }

  /** The configured provider instances, in the order bare names are tried. */
  get providerInstances(): ReadonlyArray<ProviderInstance> {
    return this.providers;
  }

  /** Every deployment names a known provider, every fallback a known group. */
  private validate(): void {
    const problems: ConfigProblem[] = [];
    const names = new Set(this.options.groups.map((group) => group.name));
    this.options.groups.forEach((group, index) => {
      group.deployments.forEach((deployment, deploymentIndex) => {
        if (!this.byName.has(deployment.provider)) {
          problems.push({
            source: this.options.source,
            path: `models[${index}].deployments[${deploymentIndex}].provider`,
            message: `unknown provider "${deployment.provider}"; configured: ${[...this.byName.keys()].join(', ') || 'none'}`,
          });
        }
      });
      for (const [field, list] of [['fallbacks', group.fallbacks], ['contextWindowFallbacks', group.contextWindowFallbacks]] as const) {
        list.forEach((fallback, fallbackIndex) => {
          if (!names.has(fallback)) problems.push({ source: this.options.source, path: `models[${index}].${field}[${fallbackIndex}]`, message: `unknown model group "${fallback}"` });
        });
      }
    });
    if (problems.length > 0) throw new ConfigError(problems);
  }

  private forgetDirectNamesOf(providerName: string): void {
    const configured = new Set(this.options.groups.map((group) => group.name));
    for (const [name, group] of this.options.groupTable) {
      if (!configured.has(name) && group.deployments.some((deployment) => deployment.provider === providerName)) this.options.groupTable.delete(name);
    }
  }

  private remember(publicName: string, instance: ProviderInstance, upstreamModel: string): string {
    if (this.options.groupTable.size - this.options.groups.length >= maximumRememberedNames) {
      // Forget the oldest direct name; Map keeps insertion order, configured groups come first.
      for (const name of this.options.groupTable.keys()) {
        if (!this.options.groups.some((group) => group.name === name)) {
          this.options.groupTable.delete(name);
          break;
        }
      }
    }
    this.options.groupTable.set(publicName, {
      name: publicName,
      strategy: 'weighted',
      deployments: [{ id: `${instance.name}/${upstreamModel}`, provider: instance.name, model: upstreamModel, weight: 1 }],
      fallbacks: [],
      contextWindowFallbacks: [],
    });
    return publicName;
  }

  private toDeployment(group: string, deployment: ModelGroupConfig['deployments'][number], index: number): Deployment {
    return {
      id: deployment.id ?? `${group}#${index}:${deployment.provider}/${deployment.model}`,
      provider: deployment.provider,
      model: deployment.model,
      weight: deployment.weight,
      maxInFlight: deployment.maxInFlight,
      costPerMillionTokens: this.blendedPrice(deployment.provider, deployment.model),
    };
  }

  /** Input + output price per million tokens, for the lowest-cost strategy; undefined when unknown. */
  private blendedPrice(providerName: string, model: string): number | undefined {
    const instance = this.byName.get(providerName);
    for (const catalogProvider of instance?.definition.catalogProviders ?? []) {
      const price = this.options.catalog.lookup(catalogProvider, model)?.price;
      if (price !== undefined) return price.inputPerMillion + price.outputPerMillion;
    }
    return undefined;
  }
}
