import { describe, expect, it } from 'vitest';
import { ModelCatalog } from '../registry/model-catalog.js';
import type { Price } from '../registry/price.js';
import { computeCostMicros } from './cost.js';

const catalog = ModelCatalog.bundled();
const gpt4oMini = catalog.priceOf('openai', 'gpt-4o-mini');
const claudeSonnet = catalog.priceOf('anthropic', 'claude-sonnet-4-5');
const geminiPro = catalog.priceOf('gemini', 'gemini-2.5-pro');

describe('computeCostMicros', () => {
  it('prices OpenAI usage: uncached input, cached input and output (with reasoning) apart', () => {
    // 1000 × $0.15 + 2000 × $0.075 + (400 + 100) × $0.60 per million tokens
    expect(computeCostMicros({ inputTokens: 1000, cacheReadTokens: 2000, outputTokens: 400, reasoningTokens: 100 }, gpt4oMini)).toBe(
      150 + 150 + 300,
    );
  });

  it('prices Anthropic usage with cache writes and reads', () => {
    // 100 × $3 + 1000 × $3.75 + 10000 × $0.30 + 200 × $15 per million tokens
    expect(
      computeCostMicros({ inputTokens: 100, cacheWriteTokens: 1000, cacheReadTokens: 10_000, outputTokens: 200 }, claudeSonnet),
    ).toBe(300 + 3750 + 3000 + 3000);
  });

  it('switches the whole request to the long-context prices above 200k prompt tokens', () => {
    // Exactly 200k is still the base tier (the threshold is "exceeds").
    expect(computeCostMicros({ inputTokens: 200_000, outputTokens: 1000 }, geminiPro)).toBe(200_000 * 1.25 + 1000 * 10);
    // 190k uncached + 20k cached = 210k prompt tokens: every bucket at the long-context price.
    expect(computeCostMicros({ inputTokens: 190_000, cacheReadTokens: 20_000, outputTokens: 1000 }, geminiPro)).toBe(
      190_000 * 2.5 + 20_000 * 0.25 + 1000 * 15,
    );
    expect(computeCostMicros({ inputTokens: 150_000, cacheWriteTokens: 60_000, outputTokens: 10 }, claudeSonnet)).toBe(
      150_000 * 6 + 60_000 * 7.5 + 10 * 22.5,
    );
  });

  it('falls back to the input price for cache buckets without a price', () => {
    // gpt-4o-mini lists no cache-write price: written tokens cost input.
    expect(computeCostMicros({ inputTokens: 0, cacheWriteTokens: 1000 }, gpt4oMini)).toBe(150);
    const plain: Price = { inputPerMillion: 2, outputPerMillion: 8 };
    expect(computeCostMicros({ cacheReadTokens: 1000, cacheWriteTokens: 1000 }, plain)).toBe(4000);
  });

  it('prices reasoning at its own price when given, else at the output price', () => {
    const price: Price = { inputPerMillion: 1, outputPerMillion: 4, reasoningPerMillion: 2 };
    expect(computeCostMicros({ outputTokens: 1000, reasoningTokens: 1000 }, price)).toBe(4000 + 2000);
    expect(computeCostMicros({ outputTokens: 1000, reasoningTokens: 1000 }, { inputPerMillion: 1, outputPerMillion: 4 })).toBe(8000);
  });

  it('rounds once, at the end', () => {
    // 4 × 0.15 + 1 × 0.6 = 1.2 micro-dollars -> 1 (rounding per bucket would give 2).
    expect(computeCostMicros({ inputTokens: 4, outputTokens: 1 }, gpt4oMini)).toBe(1);
    expect(computeCostMicros({ inputTokens: 7 }, gpt4oMini)).toBe(1);
    expect(computeCostMicros({ inputTokens: 3 }, gpt4oMini)).toBe(0);
    expect(Number.isInteger(computeCostMicros({ inputTokens: 123_457, outputTokens: 9_999 }, claudeSonnet))).toBe(true);
  });

  it('is undefined when the price or every usage figure is unknown', () => {
    expect(computeCostMicros({ inputTokens: 10, outputTokens: 10 }, undefined)).toBeUndefined();
    expect(computeCostMicros({}, gpt4oMini)).toBeUndefined();
    expect(computeCostMicros(undefined, gpt4oMini)).toBeUndefined();
    // One known figure: the unknown ones count as 0.
    expect(computeCostMicros({ outputTokens: 1000 }, gpt4oMini)).toBe(600);
  });

  it('is 0 for a free model', () => {
    expect(computeCostMicros({ inputTokens: 5000, outputTokens: 500 }, catalog.priceOf('ollama', 'llama3'))).toBe(0);
  });
});
