import { describe, expect, it } from 'vitest';
import { convertGeminiUsage } from './gemini-usage.js';

describe('convertGeminiUsage', () => {
  it('splits cached tokens out of the prompt and keeps thoughts apart from output', () => {
    const raw = { promptTokenCount: 1000, cachedContentTokenCount: 600, candidatesTokenCount: 40, thoughtsTokenCount: 90, totalTokenCount: 1130 };
    expect(convertGeminiUsage(raw)).toEqual({ inputTokens: 400, cacheReadTokens: 600, outputTokens: 40, reasoningTokens: 90, raw });
  });

  it('bills the tool-use prompt as input', () => {
    expect(convertGeminiUsage({ promptTokenCount: 10, toolUsePromptTokenCount: 30 }).inputTokens).toBe(40);
  });

  it('leaves figures Gemini did not give undefined, never 0', () => {
    const usage = convertGeminiUsage({ promptTokenCount: 4, totalTokenCount: 4 });
    expect(usage.inputTokens).toBe(4);
    expect(usage.cacheReadTokens).toBeUndefined();
    expect(usage.outputTokens).toBeUndefined();
    expect(usage.reasoningTokens).toBeUndefined();
    expect(convertGeminiUsage(undefined)).toEqual({});
  });
});
