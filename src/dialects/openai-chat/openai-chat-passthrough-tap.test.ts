import { describe, expect, it } from 'vitest';
import { OpenAIChatPassthroughTap, openaiChatFinishReasonOf } from './openai-chat-passthrough-tap.js';

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

  it('reads the finish reason of a complete body', () => {
    expect(openaiChatFinishReasonOf({ choices: [{ index: 0, finish_reason: 'length' }] })).toBe('length');
    expect(openaiChatFinishReasonOf({ choices: [] })).toBeUndefined();
  });
});
