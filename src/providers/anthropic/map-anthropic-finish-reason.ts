import type { FinishReason, UnifiedFinishReason } from '../../spec/index.js';

const unifiedByStopReason: Record<string, UnifiedFinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  // A paused server-tool loop is a normal end of this response; the client resends to continue.
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool-calls',
  refusal: 'content-filter',
};

/** Maps an Anthropic `stop_reason` to the unified finish reason, keeping the raw value. */
export function mapAnthropicFinishReason(stopReason: string | null | undefined): FinishReason {
  if (stopReason === null || stopReason === undefined) return { unified: 'other' };
  return { unified: unifiedByStopReason[stopReason] ?? 'other', raw: stopReason };
}
