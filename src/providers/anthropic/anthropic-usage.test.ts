import { describe, expect, it } from 'vitest';
import { convertAnthropicUsage, overlayAnthropicUsage } from './anthropic-usage.js';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';

describe('convertAnthropicUsage', () => {
  it('keeps the exclusive buckets and the raw object', () => {
    const raw = { input_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 20, output_tokens: 50, output_tokens_details: { thinking_tokens: 30 } };
    expect(convertAnthropicUsage(raw)).toEqual({ inputTokens: 5, cacheReadTokens: 100, cacheWriteTokens: 20, outputTokens: 20, reasoningTokens: 30, raw });
  });

  it('turns null and absent figures into undefined, never 0', () => {
    const usage = convertAnthropicUsage({ input_tokens: 3, output_tokens: 4, cache_read_input_tokens: null, cache_creation_input_tokens: null, output_tokens_details: null });
    expect(usage.cacheReadTokens).toBeUndefined();
    expect(usage.cacheWriteTokens).toBeUndefined();
    expect(usage.reasoningTokens).toBeUndefined();
    expect(usage.outputTokens).toBe(4);
    expect(convertAnthropicUsage(undefined)).toEqual({});
  });

  it('leaves output tokens whole when no thinking breakdown is given', () => {
    expect(convertAnthropicUsage({ output_tokens: 9, output_tokens_details: { thinking_tokens: null } }).outputTokens).toBe(9);
  });
});

describe('overlayAnthropicUsage', () => {
  it('overlays the non-null fields of the delta on the start', () => {
    expect(
      overlayAnthropicUsage(
        { input_tokens: 10, cache_read_input_tokens: 7, output_tokens: 1 },
        { input_tokens: null, cache_read_input_tokens: 7, output_tokens: 42 },
      ),
    ).toEqual({ input_tokens: 10, cache_read_input_tokens: 7, output_tokens: 42 });
  });

  it('returns the start when there is no delta, and the delta when there is no start', () => {
    expect(overlayAnthropicUsage({ input_tokens: 1 }, undefined)).toEqual({ input_tokens: 1 });
    expect(overlayAnthropicUsage(undefined, { output_tokens: 2 })).toEqual({ output_tokens: 2 });
  });
});

describe('mapAnthropicFinishReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['pause_turn', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool-calls'],
    ['refusal', 'content-filter'],
    ['something_new', 'other'],
  ])('maps %s to %s, keeping the raw value', (raw, unified) => {
    expect(mapAnthropicFinishReason(raw)).toEqual({ unified, raw });
  });

  it('maps a missing stop reason to other without raw', () => {
    expect(mapAnthropicFinishReason(null)).toEqual({ unified: 'other' });
    expect(mapAnthropicFinishReason(undefined)).toEqual({ unified: 'other' });
  });
});
