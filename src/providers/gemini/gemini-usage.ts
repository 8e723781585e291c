import type { Usage } from '../../spec/index.js';
import type { GeminiUsageMetadata } from './gemini-wire.js';

/**
 * Converts Gemini `usageMetadata` into exclusive buckets. `promptTokenCount` includes the cached tokens, and
 * the tool-use prompt (search results fed back in) is billed as input too; `thoughtsTokenCount` is not part
 * of `candidatesTokenCount`. A missing figure stays undefined.
 */
export function convertGeminiUsage(metadata: GeminiUsageMetadata | undefined): Usage {
  if (metadata === undefined) return {};
  const cached = metadata.cachedContentTokenCount;
  const prompt = metadata.promptTokenCount;
  const toolUse = metadata.toolUsePromptTokenCount;
  const inputTokens = prompt === undefined ? undefined : prompt + (toolUse ?? 0) - (cached ?? 0);
  return {
    inputTokens,
    cacheReadTokens: cached,
    outputTokens: metadata.candidatesTokenCount,
    reasoningTokens: metadata.thoughtsTokenCount,
    raw: metadata,
  };
}
