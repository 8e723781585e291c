/**
 * Token usage of one call, in normalised exclusive buckets.
 *
 * The buckets never overlap: `inputTokens` is the uncached part of the prompt, `cacheReadTokens` and
 * `cacheWriteTokens` are the cached parts, `outputTokens` excludes `reasoningTokens`. A figure the
 * provider did not report is `undefined`, never 0, so "unknown" stays distinguishable from "none".
 */
export interface Usage {
  /** Prompt tokens that were neither read from nor written to a prompt cache. */
  inputTokens?: number;
  /** Prompt tokens served from the provider's prompt cache. */
  cacheReadTokens?: number;
  /** Prompt tokens written to the provider's prompt cache. */
  cacheWriteTokens?: number;
  /** Generated tokens, excluding reasoning tokens. */
  outputTokens?: number;
  /** Hidden reasoning ("thinking") tokens, billed as output. */
  reasoningTokens?: number;
  /** The provider's own usage object, untouched, for audit. */
  raw?: unknown;
}

/** Where a usage figure came from: the provider's report, or the gateway's tokenizer estimate. */
export type UsageSource = 'provider' | 'estimate';

/** All prompt tokens: uncached + cache read + cache write (what OTel calls `gen_ai.usage.input_tokens`). */
export function totalInputTokens(usage: Usage): number | undefined {
  if (usage.inputTokens === undefined && usage.cacheReadTokens === undefined && usage.cacheWriteTokens === undefined) {
    return undefined;
  }
  return (usage.inputTokens ?? 0) + (usage.cacheReadTokens ?? 0) + (usage.cacheWriteTokens ?? 0);
}

/** All generated tokens: output + reasoning (what OpenAI calls `completion_tokens`). */
export function totalOutputTokens(usage: Usage): number | undefined {
  if (usage.outputTokens === undefined && usage.reasoningTokens === undefined) return undefined;
  return (usage.outputTokens ?? 0) + (usage.reasoningTokens ?? 0);
}

/** True when the provider reported no figure at all (then the gateway estimates). */
export function isUsageEmpty(usage: Usage | undefined): boolean {
  return (
    usage === undefined ||
    (usage.inputTokens === undefined &&
      usage.cacheReadTokens === undefined &&
      usage.cacheWriteTokens === undefined &&
      usage.outputTokens === undefined &&
      usage.reasoningTokens === undefined)
  );
}

const tokenBuckets = ['inputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'outputTokens', 'reasoningTokens'] as const;

/**
 * The usage of two calls made for one request (a guardrail's re-ask), bucket by bucket; a bucket neither
 * reported stays undefined. `raw` is left out: it describes one provider response, and there were two.
 */
export function addUsage(first: Usage, second: Usage): Usage {
  const sum: Usage = {};
  for (const bucket of tokenBuckets) {
    if (first[bucket] !== undefined || second[bucket] !== undefined) sum[bucket] = (first[bucket] ?? 0) + (second[bucket] ?? 0);
  }
  return sum;
}
