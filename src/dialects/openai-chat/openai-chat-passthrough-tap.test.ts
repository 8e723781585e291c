import { describe, expect, it } from 'vitest';
import { OpenAIChatPassthroughTap, peekOpenAIChatRequest, summariseOpenAIChatResponse } from './openai-chat-passthrough-tap.js';

const encoder = new TextEncoder();
const chunk = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;
const head = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini' };
const stream = [
  chunk({ ...head, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }], usage: null }),
  chunk({ ...head, choices: [{ index: 0, delta: { content: 'Grüße' }, finish_reason: null }], usage: null }),
  chunk({ ...head, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: null }),
  chunk({ ...head, choices: [], usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 } }),
  'data: [DONE]\n\n',
].join('');

/** Feeds the stream in pieces of `size` bytes (boundaries fall inside lines and UTF-8 characters). */
function run(tap: OpenAIChatPassthroughTap, size: number): string {
  const bytes = encoder.encode(stream);
  const decoder = new TextDecoder();
  let output = '';
  for (let index = 0; index < bytes.length; index += size) {
    const out = tap.transform(bytes.subarray(index, index + size));
    output += typeof out === 'string' ? out : decoder.decode(out, { stream: true });
  }
  return output + decoder.decode() + tap.end();
}

describe('OpenAI chat passthrough tap', () => {
  it.each([1, 7, 64, 100_000])('passes the bytes untouched when the client asked for usage (%i-byte reads)', (size) => {
    const tap = new OpenAIChatPassthroughTap(true);
    expect(run(tap, size)).toBe(stream);
    expect(tap.usageObject).toMatchObject({ usage: { prompt_tokens: 9, completion_tokens: 2 } });
    expect(tap.finishReason).toBe('stop');
    expect(tap.sawContent).toBe(true);
    expect(tap.contentChunks).toBe(1);
    expect(tap.complete).toBe(true);
  });

  it.each([1, 7, 100_000])('drops only the usage chunk the gateway asked for on the client’s behalf (%i-byte reads)', (size) => {
    const tap = new OpenAIChatPassthroughTap(false);
    const output = run(tap, size);
    expect(output).not.toContain('"usage":{');
    expect(output).toContain('Grüße');
    expect(output.endsWith('data: [DONE]\n\n')).toBe(true);
    // Every other event is intact and still framed as SSE.
    expect(output.split('\n\n').filter(Boolean)).toHaveLength(4);
    expect(tap.usageObject).toMatchObject({ usage: { total_tokens: 11 } });
  });

  it('sees no content in the role chunk, and notes a provider error event', () => {
    const tap = new OpenAIChatPassthroughTap(true);
    tap.transform(encoder.encode(chunk({ ...head, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })));
    expect(tap.sawContent).toBe(false);
    tap.transform(encoder.encode(chunk({ error: { message: 'overloaded', type: 'server_error', param: null, code: null } })));
    expect(tap.errorObject).toMatchObject({ message: 'overloaded' });
    expect(tap.complete).toBe(false);
  });

  it('counts a streamed tool call as content', () => {
    const tap = new OpenAIChatPassthroughTap(true);
    tap.transform(encoder.encode(chunk({ ...head, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '' } }] }, finish_reason: null }] })));
    expect(tap.sawContent).toBe(true);
  });

  it('reads usage and the finish reason of a complete body without being fooled by content', () => {
    const body = JSON.stringify({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: 'a fake {"usage": {"prompt_tokens": 999}} in text' }, finish_reason: 'length' }],
      usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15, prompt_tokens_details: { cached_tokens: 2 } },
    });
    expect(summariseOpenAIChatResponse(body)).toEqual({
      isObject: true,
      finishReason: 'length',
      usageObject: { usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15, prompt_tokens_details: { cached_tokens: 2 } } },
    });
    // Usage only inside a string: none at the top level.
    expect(summariseOpenAIChatResponse(JSON.stringify({ choices: [{ message: { content: '"usage": {"x": 1}' } }] })).usageObject).toBeUndefined();
    expect(summariseOpenAIChatResponse('<html>oops</html>').isObject).toBe(false);
  });

  it('peeks model and stream flags, and gives up on bodies of the wrong shape', () => {
    expect(peekOpenAIChatRequest({ model: 'm', messages: [{}], stream: true, stream_options: { include_usage: true } })).toEqual({ model: 'm', stream: true, includeUsage: true });
    expect(peekOpenAIChatRequest({ model: 'm', messages: [{}] })).toEqual({ model: 'm', stream: false, includeUsage: false });
    expect(peekOpenAIChatRequest({ model: 'm', messages: 'hi' })).toBeUndefined();
    expect(peekOpenAIChatRequest({ model: 7, messages: [{}] })).toBeUndefined();
    expect(peekOpenAIChatRequest({ model: 'm', messages: [{}], stream: 'yes' })).toBeUndefined();
    expect(peekOpenAIChatRequest([1])).toBeUndefined();
  });
});
