import type { CallOptions, Clock, Logger, UpstreamClient } from '../spec/index.js';
import type { PublicModel } from '../dialects/dialect.js';
import type { ModelResolver } from './model-resolver.js';
import type { ProviderInstance } from './provider-set.js';

/** What the listing needs. */
export interface ModelListingDependencies {
  resolver: ModelResolver;
  providers: ReadonlyMap<string, ProviderInstance>;
  http: UpstreamClient;
  clock: Clock;
  logger: Logger;
}

const cacheMilliseconds = 60_000;
const listTimeoutMilliseconds = 5_000;

/**
 * `GET /v1/models`: the configured public models first, then every provider's own models as
 * `<provider>/<model>` (asked live, cached for a minute; a provider that fails to answer is left out and
 * logged, so one broken provider does not break the listing).
 */
export class ModelListing {
  private cache: { models: PublicModel[]; expiresAt: number } | undefined;

  constructor(private readonly dependencies: ModelListingDependencies) {}

  async list(): Promise<PublicModel[]> {
    const now = this.dependencies.clock.now();
    if (this.cache !== undefined && this.cache.expiresAt > now) return this.cache.models;
    const created = Math.floor(now / 1000);
    const models: PublicModel[] = this.dependencies.resolver.configuredGroups().map((group) => ({
      id: group.name,
      ownedBy: 'switchyard',
      createdAt: created,
    }));
    const lists = await Promise.all([...this.dependencies.providers.values()].map((instance) => this.providerModels(instance)));
    for (const list of lists) models.push(...list);
    this.cache = { models, expiresAt: now + cacheMilliseconds };
    return models;
  }

  /** One model by its public id, if listed or resolvable. */
  async find(id: string): Promise<PublicModel | undefined> {
    const listed = (await this.list()).find((model) => model.id === id);
    if (listed !== undefined) return listed;
    try {
      const group = this.dependencies.resolver.resolve(id);
      const deployment = this.dependencies.resolver.firstDeployment(group);
      return { id, ownedBy: deployment?.provider ?? 'switchyard', createdAt: Math.floor(this.dependencies.clock.now() / 1000) };
    } catch {
      return undefined;
    }
  }

  private async providerModels(instance: ProviderInstance): Promise<PublicModel[]> {
    const adapter = instance.adapter;
    if (adapter.listModels === undefined) return [];
    const call: CallOptions = {
      signal: AbortSignal.timeout(listTimeoutMilliseconds),
      http: this.dependencies.http,
      clock: this.dependencies.clock,
      logger: this.dependencies.logger,
    };
    try {
      const models = await adapter.listModels(call);
      return models.map((model) => ({ ...model, id: `${instance.name}/${model.id}`, ownedBy: instance.name }));
    } catch (error) {
      this.dependencies.logger.warn({ provider: instance.name, error: (error as Error).message }, 'listing the provider models failed');
      return [];
    }
  }
}
