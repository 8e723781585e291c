import { totalOutputTokens } from '../../spec/index.js';
import type { FinishReason, Usage } from '../../spec/index.js';

/**
 * Anthropic usage from canonical buckets: `input_tokens` is the uncached part only (as Anthropic counts it)
 * and `output_tokens` includes thinking. Unknown cache figures are null, as the SDK types allow.
 */
export function encodeAnthropicUsage(usage: Usage): Record<string, unknown> {
  return {
    input_tokens: usage.inputTokens ?? 0,
    output_tokens: totalOutputTokens(usage) ?? 0,
    cache_creation_input_tokens: usage.cacheWriteTokens ?? null,
    cache_read_input_tokens: usage.cacheReadTokens ?? null,
  };
}

/** `message_delta.usage`: cumulative figures, only those known (the SDK overwrites with non-null ones). */
export function encodeAnthropicDeltaUsage(usage: Usage): Record<string, unknown> {
  const encoded: Record<string, unknown> = { output_tokens: totalOutputTokens(usage) ?? 0 };
  if (usage.inputTokens !== undefined) encoded.input_tokens = usage.inputTokens;
  if (usage.cacheWriteTokens !== undefined) encoded.cache_creation_input_tokens = usage.cacheWriteTokens;
  if (usage.cacheReadTokens !== undefined) encoded.cache_read_input_tokens = usage.cacheReadTokens;
  return encoded;
}

const anthropicStopReasons = new Set(['end_turn', 'max_tokens', 'stop_sequence', 'tool_use', 'pause_turn', 'refusal', 'model_context_window_exceeded']);

/** The Anthropic `stop_reason`: the provider's raw value when it already is one, else mapped from the unified reason. */
export function mapAnthropicStopReason(reason: FinishReason): string {
  if (reason.raw !== undefined && anthropicStopReasons.has(reason.raw)) return reason.raw;
  switch (reason.unified) {
    case 'length':
      return 'max_tokens';
    case 'tool-calls':
      return 'tool_use';
    case 'content-filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}

/** An Anthropic-style message id: the provider's when it is one, else derived from the gateway request id. */
export function anthropicMessageId(providerId: string | undefined, requestId: string): string {
  return providerId !== undefined && providerId.startsWith('msg_') ? providerId : `msg_${requestId}`;
}
