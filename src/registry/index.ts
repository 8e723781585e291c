export type { CatalogEntry, CatalogMode } from './catalog-entry.js';
export { ModelCatalog } from './model-catalog.js';
export { applyPriceOverride, type LongContextPrice, type Price, type PriceOverride } from './price.js';
