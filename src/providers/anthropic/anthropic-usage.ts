import { z } from 'zod';
import type { Usage } from '../../spec/index.js';

const count = z.number().int().nonnegative().nullish();

/** Anthropic's usage object (fields may be null or absent; unknown fields are kept). */
export const anthropicUsageSchema = z.looseObject({
  input_tokens: count,
  output_tokens: count,
  cache_creation_input_tokens: count,
  cache_read_input_tokens: count,
  output_tokens_details: z.looseObject({ thinking_tokens: count }).nullish(),
});

export type AnthropicUsage = z.infer<typeof anthropicUsageSchema>;

/**
 * Converts Anthropic usage into exclusive buckets. `input_tokens` already excludes cache reads and writes;
 * `output_tokens` includes thinking tokens, so they are subtracted when the breakdown is given.
 */
export function convertAnthropicUsage(usage: AnthropicUsage | undefined): Usage {
  if (usage === undefined) return {};
  const thinking = usage.output_tokens_details?.thinking_tokens ?? undefined;
  const output = usage.output_tokens ?? undefined;
  return {
    inputTokens: usage.input_tokens ?? undefined,
    cacheReadTokens: usage.cache_read_input_tokens ?? undefined,
    cacheWriteTokens: usage.cache_creation_input_tokens ?? undefined,
    outputTokens: output !== undefined && thinking !== undefined ? Math.max(0, output - thinking) : output,
    reasoningTokens: thinking,
    raw: usage,
  };
}

/**
 * Streams report usage twice: `message_start` (input and cache counts) and `message_delta` (cumulative,
 * possibly restating input). The final figure is the start overlaid with the delta's non-null fields.
 */
export function overlayAnthropicUsage(start: AnthropicUsage | undefined, delta: AnthropicUsage | undefined): AnthropicUsage | undefined {
  if (delta === undefined) return start;
  const merged: Record<string, unknown> = { ...(start ?? {}) };
  for (const [key, value] of Object.entries(delta)) {
    if (value !== null && value !== undefined) merged[key] = value;
  }
  return merged as AnthropicUsage;
}
