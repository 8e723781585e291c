import { totalInputTokens, totalOutputTokens } from '../../spec/index.js';
import type { Usage } from '../../spec/index.js';

/**
 * OpenAI `CompletionUsage` from canonical exclusive buckets: `prompt_tokens` counts every prompt token
 * (cached ones included) and `completion_tokens` includes reasoning. The three totals are required by the
 * spec, so an unknown total is 0; the detail objects appear only for figures the provider actually gave.
 */
export function encodeOpenAIUsage(usage: Usage): Record<string, unknown> {
  const promptTokens = totalInputTokens(usage) ?? 0;
  const completionTokens = totalOutputTokens(usage) ?? 0;
  const encoded: Record<string, unknown> = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
  if (usage.cacheReadTokens !== undefined || usage.cacheWriteTokens !== undefined) {
    const details: Record<string, number> = {};
    if (usage.cacheReadTokens !== undefined) details.cached_tokens = usage.cacheReadTokens;
    if (usage.cacheWriteTokens !== undefined) details.cache_write_tokens = usage.cacheWriteTokens;
    encoded.prompt_tokens_details = details;
  }
  if (usage.reasoningTokens !== undefined) encoded.completion_tokens_details = { reasoning_tokens: usage.reasoningTokens };
  return encoded;
}
