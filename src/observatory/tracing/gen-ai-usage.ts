import type { Usage } from '../../spec/index.js';
import type { ModelCatalog, Price } from '../../registry/index.js';
import { computeCostMicros } from '../cost.js';
import { genAi, legacyUsageNames, switchyardAttributes } from './gen-ai-attributes.js';
import type { AttributeValue } from './trace-types.js';

/** Finds the price of a model an application used (provider as its GenAI name, when it gave one). */
export type ForeignPricing = (provider: string | undefined, model: string) => Price | undefined;

// GenAI provider names that differ from the catalog's provider names.
const catalogProviderOf: Readonly<Record<string, string>> = {
  'gcp.gemini': 'gemini',
  'gcp.vertex_ai': 'vertex_ai',
  'gcp.gen_ai': 'gemini',
  'azure.ai.openai': 'azure',
  'azure.ai.inference': 'azure_ai',
  'aws.bedrock': 'bedrock',
  mistral_ai: 'mistral',
  x_ai: 'xai',
};

/**
 * Pricing from the model catalog: the provider's own listing when the span names a provider, else the first
 * provider that lists the model under its bare name.
 */
export function catalogPricing(catalog: ModelCatalog): ForeignPricing {
  return (provider, model) => {
    if (provider !== undefined) {
      const price = catalog.priceOf(catalogProviderOf[provider] ?? provider, model);
      if (price !== undefined) return price;
    }
    for (const listed of catalog.providersFor(model)) {
      const price = catalog.priceOf(listed, model);
      if (price !== undefined) return price;
    }
    return undefined;
  };
}

function numberOf(attributes: Readonly<Record<string, AttributeValue>>, ...names: readonly string[]): number | undefined {
  for (const name of names) {
    const value = attributes[name];
    const parsed = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
    if (Number.isFinite(parsed) && parsed >= 0) return Math.round(parsed);
  }
  return undefined;
}

function stringOf(attributes: Readonly<Record<string, AttributeValue>>, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = attributes[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/**
 * Token usage of a foreign span in the gateway's exclusive buckets. GenAI counts are inclusive (input holds
 * the cache reads and writes, output holds reasoning), so the buckets are taken out again; the older
 * `gen_ai.usage.prompt_tokens` / `completion_tokens` and `llm.usage.*` names are read when the current ones
 * are absent. Undefined when the span reports no usage.
 */
export function usageOfAttributes(attributes: Readonly<Record<string, AttributeValue>>): Usage | undefined {
  const input = numberOf(attributes, genAi.usageInputTokens, ...legacyUsageNames.input);
  const output = numberOf(attributes, genAi.usageOutputTokens, ...legacyUsageNames.output);
  const cacheRead = numberOf(attributes, genAi.usageCacheReadInputTokens);
  const cacheWrite = numberOf(attributes, genAi.usageCacheCreationInputTokens);
  const reasoning = numberOf(attributes, genAi.usageReasoningOutputTokens);
  if ([input, output, cacheRead, cacheWrite, reasoning].every((value) => value === undefined)) return undefined;
  const usage: Usage = {};
  if (input !== undefined) usage.inputTokens = Math.max(0, input - (cacheRead ?? 0) - (cacheWrite ?? 0));
  if (cacheRead !== undefined) usage.cacheReadTokens = cacheRead;
  if (cacheWrite !== undefined) usage.cacheWriteTokens = cacheWrite;
  if (output !== undefined) usage.outputTokens = Math.max(0, output - (reasoning ?? 0));
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  return usage;
}

/** The GenAI attributes (inclusive counts, current names) of usage in exclusive buckets. */
export function attributesOfUsage(usage: Usage): Record<string, number> {
  const attributes: Record<string, number> = {};
  if (usage.inputTokens !== undefined || usage.cacheReadTokens !== undefined || usage.cacheWriteTokens !== undefined) {
    attributes[genAi.usageInputTokens] = (usage.inputTokens ?? 0) + (usage.cacheReadTokens ?? 0) + (usage.cacheWriteTokens ?? 0);
  }
  if (usage.cacheReadTokens !== undefined) attributes[genAi.usageCacheReadInputTokens] = usage.cacheReadTokens;
  if (usage.cacheWriteTokens !== undefined) attributes[genAi.usageCacheCreationInputTokens] = usage.cacheWriteTokens;
  if (usage.outputTokens !== undefined || usage.reasoningTokens !== undefined) {
    attributes[genAi.usageOutputTokens] = (usage.outputTokens ?? 0) + (usage.reasoningTokens ?? 0);
  }
  if (usage.reasoningTokens !== undefined) attributes[genAi.usageReasoningOutputTokens] = usage.reasoningTokens;
  return attributes;
}

/**
 * Normalises a foreign span's attributes in place: usage under the current GenAI names (older names
 * translated), and its cost in `switchyard.cost_micros` when the model's price is known and the span did not
 * come with one.
 */
export function normaliseUsageAttributes(attributes: Record<string, AttributeValue>, pricing: ForeignPricing | undefined): void {
  const usage = usageOfAttributes(attributes);
  if (usage === undefined) return;
  Object.assign(attributes, attributesOfUsage(usage));
  const model = stringOf(attributes, legacyUsageNames.model);
  if (model !== undefined && attributes[genAi.responseModel] === undefined && attributes[genAi.requestModel] === undefined) attributes[genAi.requestModel] = model;
  if (pricing === undefined || model === undefined || attributes[switchyardAttributes.costMicros] !== undefined) return;
  const cost = computeCostMicros(usage, pricing(stringOf(attributes, legacyUsageNames.provider), model));
  if (cost !== undefined) attributes[switchyardAttributes.costMicros] = cost;
}
