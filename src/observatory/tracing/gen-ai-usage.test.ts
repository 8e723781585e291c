import { describe, expect, it } from 'vitest';
import { ModelCatalog } from '../../registry/index.js';
import { catalogPricing, normaliseUsageAttributes, usageOfAttributes } from './gen-ai-usage.js';

describe("usage of applications' spans", () => {
  it('takes the cache and reasoning buckets out of the inclusive GenAI counts', () => {
    expect(
      usageOfAttributes({
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.cache_read.input_tokens': 300,
        'gen_ai.usage.cache_creation.input_tokens': 100,
        'gen_ai.usage.output_tokens': 250,
        'gen_ai.usage.reasoning.output_tokens': 50,
      }),
    ).toEqual({ inputTokens: 600, cacheReadTokens: 300, cacheWriteTokens: 100, outputTokens: 200, reasoningTokens: 50 });
    expect(usageOfAttributes({ 'gen_ai.operation.name': 'chat' })).toBeUndefined();
  });

  it('reads the older names (gen_ai.usage.prompt_tokens, llm.usage.*), also as strings', () => {
    expect(usageOfAttributes({ 'gen_ai.usage.prompt_tokens': 12, 'gen_ai.usage.completion_tokens': '7' })).toEqual({ inputTokens: 12, outputTokens: 7 });
    expect(usageOfAttributes({ 'llm.usage.prompt_tokens': 3, 'llm.usage.completion_tokens': 4 })).toEqual({ inputTokens: 3, outputTokens: 4 });
    expect(usageOfAttributes({ 'gen_ai.usage.input_tokens': -1, 'gen_ai.usage.output_tokens': 'many' })).toBeUndefined();
  });

  it('rewrites usage under the current names and prices it from the catalog', () => {
    const attributes: Record<string, string | number | boolean> = { 'gen_ai.system': 'openai', 'llm.request.model': 'gpt-4o-mini', 'llm.usage.prompt_tokens': 1_000_000, 'llm.usage.completion_tokens': 1_000_000 };
    normaliseUsageAttributes(attributes, catalogPricing(ModelCatalog.bundled()));
    expect(attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 1_000_000, 'gen_ai.usage.output_tokens': 1_000_000, 'gen_ai.request.model': 'gpt-4o-mini' });
    // gpt-4o-mini: $0.15 in, $0.60 out per million tokens.
    expect(attributes['switchyard.cost_micros']).toBe(750_000);
  });

  it('keeps a cost the span came with, and gives none for an unknown model', () => {
    const pricing = catalogPricing(ModelCatalog.bundled());
    const given: Record<string, string | number | boolean> = { 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 10, 'switchyard.cost_micros': 5 };
    normaliseUsageAttributes(given, pricing);
    expect(given['switchyard.cost_micros']).toBe(5);
    const unknown: Record<string, string | number | boolean> = { 'gen_ai.request.model': 'my-own-finetune-xyz', 'gen_ai.usage.input_tokens': 10 };
    normaliseUsageAttributes(unknown, pricing);
    expect(unknown['switchyard.cost_micros']).toBeUndefined();
  });
});
