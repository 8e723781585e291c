import type { Usage } from '../../spec/index.js';

/** The usage and timing fields Ollama puts on a `done:true` answer (durations in nanoseconds). */
const usageFields = [
  'prompt_eval_count',
  'eval_count',
  'total_duration',
  'load_duration',
  'prompt_eval_duration',
  'eval_duration',
] as const;

/**
 * Canonical usage from an Ollama answer. Ollama has no prompt cache or reasoning buckets to report:
 * `prompt_eval_count` is the prompt and `eval_count` everything generated (thinking included, it does not
 * split them). A missing count stays undefined: older servers omit `prompt_eval_count` when the prompt
 * came from the KV cache, which means "unknown", not "free".
 */
export function convertOllamaUsage(answer: Record<string, unknown>): Usage {
  const raw: Record<string, number> = {};
  for (const field of usageFields) {
    const value = answer[field];
    if (typeof value === 'number') raw[field] = value;
  }
  return {
    inputTokens: raw.prompt_eval_count,
    outputTokens: raw.eval_count,
    raw: Object.keys(raw).length > 0 ? raw : undefined,
  };
}
