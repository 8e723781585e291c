import { describe, expect, it } from 'vitest';
import { convertOpenAIUsage } from './openai-usage.js';

describe('convertOpenAIUsage', () => {
  it('splits cached, cache-written and reasoning tokens out of the totals', () => {
    const raw = {
      prompt_tokens: 1000,
      completion_tokens: 300,
      total_tokens: 1300,
      prompt_tokens_details: { cached_tokens: 600, cache_write_tokens: 100 },
      completion_tokens_details: { reasoning_tokens: 250 },
    };
    expect(convertOpenAIUsage(raw)).toEqual({ inputTokens: 300, cacheReadTokens: 600, cacheWriteTokens: 100, outputTokens: 50, reasoningTokens: 250, raw });
  });

  it('leaves figures the provider did not give undefined', () => {
    const usage = convertOpenAIUsage({ prompt_tokens: 12, completion_tokens_details: null, prompt_tokens_details: null });
    expect(usage).toEqual({ inputTokens: 12, raw: { prompt_tokens: 12, completion_tokens_details: null, prompt_tokens_details: null } });
    expect(usage).not.toHaveProperty('outputTokens');
  });

  it('is undefined for a missing or null usage', () => {
    expect(convertOpenAIUsage(undefined)).toBeUndefined();
    expect(convertOpenAIUsage(null)).toBeUndefined();
  });

  it('never goes negative when a server reports inconsistent figures', () => {
    const usage = convertOpenAIUsage({ prompt_tokens: 10, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 20 }, completion_tokens_details: { reasoning_tokens: 9 } });
    expect(usage).toMatchObject({ inputTokens: 0, cacheReadTokens: 20, outputTokens: 0, reasoningTokens: 9 });
  });

  it("reads DeepSeek's prompt_cache_hit_tokens when cached_tokens is absent", () => {
    expect(convertOpenAIUsage({ prompt_tokens: 100, completion_tokens: 1, prompt_cache_hit_tokens: 64, prompt_cache_miss_tokens: 36 })).toMatchObject({
      inputTokens: 36,
      cacheReadTokens: 64,
      outputTokens: 1,
    });
  });
});
