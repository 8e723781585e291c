import type { Usage } from '../../spec/index.js';

type JsonObject = Record<string, unknown>;

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function details(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' ? (value as JsonObject) : undefined;
}

/**
 * Converts an OpenAI `CompletionUsage` (or the embeddings usage) into exclusive buckets. OpenAI counts
 * cached and cache-written tokens inside `prompt_tokens` and reasoning tokens inside `completion_tokens`,
 * so they are subtracted. DeepSeek's `prompt_cache_hit_tokens` stands in when `cached_tokens` is absent.
 * Figures the provider did not send stay undefined. Hand-written rather than zod: this runs on every chunk
 * of the fast path.
 */
export function convertOpenAIUsage(raw: unknown): Usage | undefined {
  const usage = details(raw);
  if (usage === undefined) return undefined;
  const promptDetails = details(usage.prompt_tokens_details);
  const completionDetails = details(usage.completion_tokens_details);
  const promptTokens = count(usage.prompt_tokens);
  const completionTokens = count(usage.completion_tokens);
  const cacheReadTokens = count(promptDetails?.cached_tokens) ?? count(usage.prompt_cache_hit_tokens);
  const cacheWriteTokens = count(promptDetails?.cache_write_tokens);
  const reasoningTokens = count(completionDetails?.reasoning_tokens);
  const converted: Usage = { raw };
  if (promptTokens !== undefined) converted.inputTokens = Math.max(0, promptTokens - (cacheReadTokens ?? 0) - (cacheWriteTokens ?? 0));
  if (cacheReadTokens !== undefined) converted.cacheReadTokens = cacheReadTokens;
  if (cacheWriteTokens !== undefined) converted.cacheWriteTokens = cacheWriteTokens;
  if (completionTokens !== undefined) converted.outputTokens = Math.max(0, completionTokens - (reasoningTokens ?? 0));
  if (reasoningTokens !== undefined) converted.reasoningTokens = reasoningTokens;
  return converted;
}
