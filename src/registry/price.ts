/**
 * What one model costs, in US dollars per million tokens (the unit price lists and the config use).
 * Multiplying a token count by a per-million price gives micro-dollars directly, so cost arithmetic
 * stays in integers after one final rounding.
 *
 * A price that is `undefined` is not known; the cost computation falls back as documented in
 * `observatory/cost.ts` (cache and reasoning prices fall back to the input / output price).
 */
export interface Price {
  /** Uncached prompt tokens. */
  inputPerMillion: number;
  /** Generated tokens (and reasoning tokens unless `reasoningPerMillion` is given). */
  outputPerMillion: number;
  /** Prompt tokens read from the provider's cache. */
  cacheReadPerMillion?: number;
  /** Prompt tokens written to the provider's cache. */
  cacheWritePerMillion?: number;
  /** Hidden reasoning tokens, where the provider prices them apart from output. */
  reasoningPerMillion?: number;
  /**
   * Long-context tier: when the whole prompt (uncached + cache read + cache write) exceeds
   * `longContextThreshold` tokens, these prices replace the ones above for the whole request.
   */
  longContext?: LongContextPrice;
}

/** The prices that apply when the prompt exceeds `threshold` tokens. Missing ones keep the base price. */
export interface LongContextPrice {
  threshold: number;
  inputPerMillion?: number;
  outputPerMillion?: number;
  cacheReadPerMillion?: number;
  cacheWritePerMillion?: number;
}

/** A price given in config: any subset of the flat fields; the rest come from the catalog. */
export type PriceOverride = Partial<Omit<Price, 'longContext'>>;

/** Applies an override on a catalog price (or on nothing, when the catalog has no price). */
export function applyPriceOverride(base: Price | undefined, override: PriceOverride): Price | undefined {
  const inputPerMillion = override.inputPerMillion ?? base?.inputPerMillion;
  const outputPerMillion = override.outputPerMillion ?? base?.outputPerMillion;
  if (inputPerMillion === undefined || outputPerMillion === undefined) return undefined;
  const merged: Price = { ...base, inputPerMillion, outputPerMillion };
  for (const field of ['cacheReadPerMillion', 'cacheWritePerMillion', 'reasoningPerMillion'] as const) {
    if (override[field] !== undefined) merged[field] = override[field];
  }
  // An explicit base price from config means the catalog's long-context tier no longer fits it.
  if (override.inputPerMillion !== undefined || override.outputPerMillion !== undefined) delete merged.longContext;
  return merged;
}
