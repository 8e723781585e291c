import type { ModelCatalog, Price, PriceOverride } from '../registry/index.js';
import { applyPriceOverride } from '../registry/index.js';
import type { ProviderInstance } from './provider-set.js';

/**
 * Finds the price of a served model: the catalog entry for the instance's catalog providers, with the
 * config's override (keyed `instance/model`, else the bare model) on top. Answers are memoised: this runs
 * once per request.
 */
export class PriceLookup {
  private readonly memo = new Map<string, Price | undefined>();

  constructor(
    private readonly catalog: ModelCatalog,
    private readonly providers: ReadonlyMap<string, ProviderInstance>,
    private readonly overrides: Record<string, PriceOverride>,
  ) {}

  priceOf(providerName: string, model: string): Price | undefined {
    const key = `${providerName}/${model}`;
    if (this.memo.has(key)) return this.memo.get(key);
    const instance = this.providers.get(providerName);
    let price: Price | undefined;
    for (const catalogProvider of instance?.definition.catalogProviders ?? []) {
      price = this.catalog.lookup(catalogProvider, model)?.price;
      if (price !== undefined) break;
    }
    const override = this.overrides[key] ?? this.overrides[model];
    if (override !== undefined) price = applyPriceOverride(price, override);
    if (this.memo.size < 10_000) this.memo.set(key, price);
    return price;
  }
}
