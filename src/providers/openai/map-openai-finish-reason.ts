import type { FinishReason, UnifiedFinishReason } from '../../spec/index.js';

/**
 * OpenAI `finish_reason` values, plus the ones OpenAI-compatible servers are known to send
 * (Mistral's `model_length`, vLLM's `abort`, `eos` from some llama.cpp builds).
 */
const unifiedByRaw: Record<string, UnifiedFinishReason> = {
  stop: 'stop',
  eos: 'stop',
  end_turn: 'stop',
  length: 'length',
  model_length: 'length',
  max_tokens: 'length',
  tool_calls: 'tool-calls',
  function_call: 'tool-calls',
  content_filter: 'content-filter',
  error: 'error',
};

/** Maps an OpenAI `finish_reason` to the unified one, keeping the raw value (null or absent reads as `other`). */
export function mapOpenAIFinishReason(raw: string | null | undefined): FinishReason {
  if (typeof raw !== 'string' || raw === '') return { unified: 'other' };
  return { unified: unifiedByRaw[raw] ?? 'other', raw };
}
