import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../spec/index.js';
import { sseDataPayloads } from '../__fixtures__/golden-fixtures.js';
import { createOpenAIChatStreamEncoder } from './openai-chat-stream-encoder.js';

const context = { requestId: 'r1', model: 'public-name', created: 1700000000, includeUsage: false };

function encodeAll(events: ChatEvent[], includeUsage = false): Array<Record<string, unknown> | string> {
  const encoder = createOpenAIChatStreamEncoder({ ...context, includeUsage });
  const text = events.map((event) => encoder.encode(event)).join('');
  return sseDataPayloads(text).map((payload) => (payload === '[DONE]' ? payload : (JSON.parse(payload) as Record<string, unknown>)));
}

describe('OpenAIChatStreamEncoder', () => {
  it('opens the choice and uses the gateway id when no stream-start came first', () => {
    const chunks = encodeAll([
      { type: 'text-delta', choice: 0, delta: 'x' },
      { type: 'finish', finishReason: { unified: 'content-filter' }, usage: {} },
    ]);
    expect(chunks).toEqual([
      { id: 'chatcmpl-r1', object: 'chat.completion.chunk', created: 1700000000, model: 'public-name', choices: [{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }] },
      { id: 'chatcmpl-r1', object: 'chat.completion.chunk', created: 1700000000, model: 'public-name', choices: [{ index: 0, delta: { content: 'x' }, logprobs: null, finish_reason: null }] },
      { id: 'chatcmpl-r1', object: 'chat.completion.chunk', created: 1700000000, model: 'public-name', choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'content_filter' }] },
      '[DONE]',
    ]);
  });

  it('gives a tool call an id when the provider gave none, and sends id/type/name only once', () => {
    const chunks = encodeAll([
      { type: 'stream-start', warnings: [] },
      { type: 'tool-call-delta', choice: 0, index: 0, name: 'f', argumentsDelta: '{' },
      { type: 'tool-call-delta', choice: 0, index: 0, argumentsDelta: '' },
      { type: 'tool-call-delta', choice: 0, index: 0, argumentsDelta: '}' },
      { type: 'finish', finishReason: { unified: 'tool-calls' }, usage: {} },
    ]) as Array<{ choices: Array<{ delta: unknown }> }>;
    expect(chunks.slice(1, 3).map((chunk) => chunk.choices[0].delta)).toEqual([
      { tool_calls: [{ index: 0, id: 'call_r1_0_0', type: 'function', function: { name: 'f', arguments: '{' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '}' } }] },
    ]);
  });

  it('reports zero totals without inventing details when the usage is unknown', () => {
    const chunks = encodeAll([{ type: 'stream-start', warnings: [] }, { type: 'finish', finishReason: { unified: 'error' }, usage: {} }], true);
    expect(chunks.at(-2)).toMatchObject({ choices: [], usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 } });
    expect((chunks.at(-2) as { usage: object }).usage).not.toHaveProperty('prompt_tokens_details');
    expect((chunks.at(-3) as { choices: Array<{ finish_reason: string }> }).choices[0].finish_reason).toBe('stop');
  });

  it('says nothing after the stream ended', () => {
    const encoder = createOpenAIChatStreamEncoder(context);
    encoder.encode({ type: 'finish', finishReason: { unified: 'stop' }, usage: {} });
    expect(encoder.encode({ type: 'text-delta', choice: 0, delta: 'late' })).toBe('');
  });
});
