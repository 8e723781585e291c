import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatRequest } from '../spec/index.js';
import { estimateChatInputTokens, estimateTextTokens, loadTokenizer } from './token-estimate.js';

beforeAll(() => loadTokenizer());

describe('estimateTextTokens', () => {
  it('counts o200k_base tokens', () => {
    expect(estimateTextTokens('')).toBe(0);
    expect(estimateTextTokens('hello')).toBe(1);
    expect(estimateTextTokens('Hello, world!')).toBe(4);
    const prose = 'The quick brown fox jumps over the lazy dog. '.repeat(20);
    const tokens = estimateTextTokens(prose);
    // English prose runs at roughly four characters a token.
    expect(tokens).toBeGreaterThan(prose.length / 6);
    expect(tokens).toBeLessThan(prose.length / 3);
  });

  it('treats special-token text as plain text instead of throwing', () => {
    expect(estimateTextTokens('<|endoftext|>')).toBeGreaterThan(1);
  });
});

describe('estimateChatInputTokens', () => {
  const base: ChatRequest = {
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: [{ type: 'text', text: 'You are terse.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Say hi.' }] },
    ],
  };

  it('adds the per-message framing and reply priming to the text tokens', () => {
    const text = estimateTextTokens('You are terse.') + estimateTextTokens('Say hi.');
    const roles = estimateTextTokens('system') + estimateTextTokens('user');
    expect(estimateChatInputTokens(base)).toBe(text + roles + 2 * 3 + 3);
  });

  it('counts names, tool calls, tool results, images and tool definitions', () => {
    const withEverything: ChatRequest = {
      ...base,
      messages: [
        ...base.messages,
        {
          role: 'assistant',
          name: 'helper',
          content: [{ type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
        },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', content: [{ type: 'text', text: '18 degrees' }] }] },
        { role: 'user', content: [{ type: 'image', url: 'https://example.test/a.png', detail: 'low' }] },
      ],
      tools: [{ name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
    };
    const plain = estimateChatInputTokens(base);
    const full = estimateChatInputTokens(withEverything);
    expect(full).toBeGreaterThan(plain + 85 + 3 * 3);
    expect(full).toBeLessThan(plain + 200);
  });

  it('grows with the prompt', () => {
    const longer: ChatRequest = { ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 'word '.repeat(500) }] }] };
    expect(estimateChatInputTokens(longer)).toBeGreaterThan(500);
  });
});
