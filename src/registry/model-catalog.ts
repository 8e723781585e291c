import rawCatalog from './data/model-catalog.json' with { type: 'json' };
import { toCatalogEntry, type CatalogEntry, type RawCatalogEntry } from './catalog-entry.js';
import { modelNameCandidates } from './model-name-candidates.js';
import { applyPriceOverride, type Price, type PriceOverride } from './price.js';

// Catalog providers that are the same upstream under two LiteLLM routes.
const providerAliases: Record<string, string[]> = {
  ollama: ['ollama', 'ollama_chat'],
  ollama_chat: ['ollama_chat', 'ollama'],
};

type ProviderIndex = Map<string, Map<string, CatalogEntry>>;

let bundledCatalog: ModelCatalog | undefined;

function buildIndex(entries: Iterable<CatalogEntry>): ProviderIndex {
  const index: ProviderIndex = new Map();
  for (const entry of entries) {
    let models = index.get(entry.provider);
    if (!models) index.set(entry.provider, (models = new Map()));
    // The full key first, so a prefixed id (`gemini/gemini-2.5-pro`) resolves too; a bare name never
    // replaces an earlier exact key.
    if (!models.has(entry.key)) models.set(entry.key, entry);
    if (!models.has(entry.model)) models.set(entry.model, entry);
  }
  return index;
}

/**
 * Models with their context windows, capabilities and prices: LiteLLM's table (trimmed, shipped in
 * `data/model-catalog.json`) plus the price overrides from config. Immutable; `withOverrides` returns a new
 * catalog.
 */
export class ModelCatalog {
  private readonly index: ProviderIndex;

  private constructor(
    entries: Iterable<CatalogEntry>,
    private readonly overrides: ReadonlyMap<string, PriceOverride>,
  ) {
    this.index = buildIndex(entries);
  }

  /** The catalog shipped with Switchyard. */
  static bundled(): ModelCatalog {
    bundledCatalog ??= loadBundled();
    return bundledCatalog;
  }

  /** A catalog of the given entries (tests, or a catalog loaded from elsewhere). */
  static fromEntries(entries: Iterable<CatalogEntry>): ModelCatalog {
    return new ModelCatalog(entries, new Map());
  }

  /**
   * A catalog whose prices are replaced field by field. Keys are `provider/model` (catalog provider name)
   * or a bare model name; the more specific key wins. A model the catalog does not know gets an entry when
   * its override gives both an input and an output price.
   */
  withOverrides(overrides: Record<string, PriceOverride>): ModelCatalog {
    const merged = new Map(this.overrides);
    for (const [key, override] of Object.entries(overrides)) merged.set(key, { ...merged.get(key), ...override });
    return new ModelCatalog(this.allEntries(), merged);
  }

  /**
   * The entry for `model` served by `provider` (a catalog provider name: `openai`, `anthropic`, `gemini`,
   * `azure`, `ollama`, ...). Tries the id as given, with the provider prefix, and without a date suffix,
   * Gemini's `models/` prefix or an Ollama `:tag`.
   */
  lookup(provider: string, model: string): CatalogEntry | undefined {
    const found = this.findListed(provider, model);
    const override = this.findOverride(provider, model, found);
    if (!override) return found;
    const price = applyPriceOverride(found?.price, override);
    if (found) return price ? { ...found, price } : found;
    if (!price) return undefined;
    return { key: `${provider}/${model}`, provider, model, mode: 'chat', price, capabilities: {} };
  }

  /** The price of `model` at `provider`, overrides applied; undefined when unknown. */
  priceOf(provider: string, model: string): Price | undefined {
    return this.lookup(provider, model)?.price;
  }

  /**
   * The catalog providers that list `bareModel` under that name (after dropping a date suffix), native
   * listings (keys without a provider prefix) first, e.g. `gpt-4o-mini` -> `['openai', 'azure']`.
   */
  providersFor(bareModel: string): string[] {
    const candidates = modelNameCandidates(bareModel);
    const native: string[] = [];
    const prefixed: string[] = [];
    for (const [provider, models] of this.index) {
      // Only listings under the bare name count: `openrouter/openai/gpt-4o-mini` is not `gpt-4o-mini`.
      const entry = candidates.map((name) => models.get(name)).find((found, at) => found?.model === candidates[at]);
      if (!entry) continue;
      (entry.key === entry.model ? native : prefixed).push(provider);
    }
    return [...native.sort(), ...prefixed.sort()];
  }

  /** Every entry, once each. */
  entries(): CatalogEntry[] {
    return [...this.allEntries()];
  }

  private *allEntries(): Iterable<CatalogEntry> {
    for (const models of this.index.values()) {
      for (const [name, entry] of models) if (name === entry.key) yield entry;
    }
  }

  private findListed(provider: string, model: string): CatalogEntry | undefined {
    const providers = providerAliases[provider] ?? [provider];
    for (const name of modelNameCandidates(model)) {
      for (const candidateProvider of providers) {
        const models = this.index.get(candidateProvider);
        const entry = models?.get(name) ?? models?.get(`${candidateProvider}/${name}`);
        if (entry) return entry;
      }
    }
    return undefined;
  }

  private findOverride(provider: string, model: string, found: CatalogEntry | undefined): PriceOverride | undefined {
    if (this.overrides.size === 0) return undefined;
    const keys = [`${provider}/${model}`];
    if (found) keys.push(`${provider}/${found.model}`, found.key);
    keys.push(model);
    if (found) keys.push(found.model);
    for (const key of keys) {
      const override = this.overrides.get(key);
      if (override) return override;
    }
    return undefined;
  }
}

function loadBundled(): ModelCatalog {
  const entries: CatalogEntry[] = [];
  for (const [key, raw] of Object.entries(rawCatalog as Record<string, RawCatalogEntry>)) {
    const entry = toCatalogEntry(key, raw);
    if (entry) entries.push(entry);
  }
  return ModelCatalog.fromEntries(entries);
}

