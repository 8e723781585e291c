import type { Price } from './price.js';

/** The kind of call a catalog model serves. */
export type CatalogMode = 'chat' | 'embedding';

/** What the catalog knows about one model of one provider. */
export interface CatalogEntry {
  /** The key in the catalog, e.g. `gpt-4o-mini`, `gemini/gemini-2.5-pro`, `azure/gpt-4o`. */
  key: string;
  /** The catalog provider name (LiteLLM's `litellm_provider`): `openai`, `anthropic`, `gemini`, ... */
  provider: string;
  /** The model name without the provider prefix, as the upstream knows it. */
  model: string;
  mode: CatalogMode;
  maxInputTokens?: number;
  maxOutputTokens?: number;
  /** Undefined when the catalog lists no input and output price. */
  price?: Price;
  /** Capability flags; a missing flag means unknown, not false. */
  capabilities: {
    functionCalling?: boolean;
    vision?: boolean;
    responseSchema?: boolean;
    reasoning?: boolean;
  };
}

/** One entry of the shipped JSON file (LiteLLM field names, see scripts/trim-model-catalog.mjs). */
export interface RawCatalogEntry {
  mode: string;
  litellm_provider: string;
  max_input_tokens?: number;
  max_output_tokens?: number;
  input_cost_per_token?: number;
  output_cost_per_token?: number;
  cache_read_input_token_cost?: number;
  cache_creation_input_token_cost?: number;
  output_cost_per_reasoning_token?: number;
  input_cost_per_token_above_200k_tokens?: number;
  output_cost_per_token_above_200k_tokens?: number;
  cache_read_input_token_cost_above_200k_tokens?: number;
  cache_creation_input_token_cost_above_200k_tokens?: number;
  supports_function_calling?: boolean;
  supports_vision?: boolean;
  supports_response_schema?: boolean;
  supports_reasoning?: boolean;
}

// LiteLLM gives USD per token; 7.5e-8 * 1e6 is 0.07500000000000001 in floating point, so round to a
// precision far below any real price step.
function perMillion(perToken: number | undefined): number | undefined {
  if (perToken === undefined) return undefined;
  return Number((perToken * 1_000_000).toPrecision(12));
}

function priceOf(raw: RawCatalogEntry): Price | undefined {
  const inputPerMillion = perMillion(raw.input_cost_per_token);
  const outputPerMillion = perMillion(raw.output_cost_per_token) ?? (raw.mode === 'embedding' ? 0 : undefined);
  if (inputPerMillion === undefined || outputPerMillion === undefined) return undefined;
  const price: Price = { inputPerMillion, outputPerMillion };
  const cacheRead = perMillion(raw.cache_read_input_token_cost);
  const cacheWrite = perMillion(raw.cache_creation_input_token_cost);
  const reasoning = perMillion(raw.output_cost_per_reasoning_token);
  if (cacheRead !== undefined) price.cacheReadPerMillion = cacheRead;
  if (cacheWrite !== undefined) price.cacheWritePerMillion = cacheWrite;
  if (reasoning !== undefined) price.reasoningPerMillion = reasoning;
  const longInput = perMillion(raw.input_cost_per_token_above_200k_tokens);
  const longOutput = perMillion(raw.output_cost_per_token_above_200k_tokens);
  if (longInput !== undefined || longOutput !== undefined) {
    price.longContext = { threshold: 200_000 };
    if (longInput !== undefined) price.longContext.inputPerMillion = longInput;
    if (longOutput !== undefined) price.longContext.outputPerMillion = longOutput;
    const longCacheRead = perMillion(raw.cache_read_input_token_cost_above_200k_tokens);
    const longCacheWrite = perMillion(raw.cache_creation_input_token_cost_above_200k_tokens);
    if (longCacheRead !== undefined) price.longContext.cacheReadPerMillion = longCacheRead;
    if (longCacheWrite !== undefined) price.longContext.cacheWritePerMillion = longCacheWrite;
  }
  return price;
}

/** Turns one raw JSON entry into a {@link CatalogEntry}; undefined for modes the catalog does not serve. */
export function toCatalogEntry(key: string, raw: RawCatalogEntry): CatalogEntry | undefined {
  if (raw.mode !== 'chat' && raw.mode !== 'embedding') return undefined;
  const prefix = `${raw.litellm_provider}/`;
  const entry: CatalogEntry = {
    key,
    provider: raw.litellm_provider,
    model: key.startsWith(prefix) ? key.slice(prefix.length) : key,
    mode: raw.mode,
    capabilities: {},
  };
  if (raw.max_input_tokens !== undefined) entry.maxInputTokens = raw.max_input_tokens;
  if (raw.max_output_tokens !== undefined) entry.maxOutputTokens = raw.max_output_tokens;
  const price = priceOf(raw);
  if (price) entry.price = price;
  if (raw.supports_function_calling !== undefined) entry.capabilities.functionCalling = raw.supports_function_calling;
  if (raw.supports_vision !== undefined) entry.capabilities.vision = raw.supports_vision;
  if (raw.supports_response_schema !== undefined) entry.capabilities.responseSchema = raw.supports_response_schema;
  if (raw.supports_reasoning !== undefined) entry.capabilities.reasoning = raw.supports_reasoning;
  return entry;
}
