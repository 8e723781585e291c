import { describe, expect, it } from 'vitest';
import { GatewayError, type ChatMessage } from '../../spec/index.js';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';

const user = (text: string): ChatMessage => ({ role: 'user', content: [{ type: 'text', text }] });
const call = (id: string, name = 'lookup', args = '{}'): ChatMessage => ({ role: 'assistant', content: [{ type: 'tool-call', id, name, arguments: args }] });

function errorOf(action: () => unknown): GatewayError {
  try {
    action();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('convertToAnthropicMessages', () => {
  it('moves every system message to the top-level system text, joined by blank lines', () => {
    const prompt = convertToAnthropicMessages([
      { role: 'system', content: [{ type: 'text', text: 'One.' }, { type: 'text', text: ' Two.' }] },
      user('Hi'),
      { role: 'system', content: [{ type: 'text', text: 'Late rule.' }] },
    ]);
    expect(prompt.system).toBe('One. Two.\n\nLate rule.');
    expect(prompt.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]);
  });

  it('leaves system undefined without system messages', () => {
    expect(convertToAnthropicMessages([user('Hi')]).system).toBeUndefined();
  });

  it('merges consecutive user turns and consecutive assistant turns so roles alternate', () => {
    const prompt = convertToAnthropicMessages([
      user('a'),
      user('b'),
      { role: 'assistant', content: [{ type: 'text', text: 'c' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'd' }] },
      user('e'),
    ]);
    expect(prompt.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'c' }, { type: 'text', text: 'd' }] },
      { role: 'user', content: [{ type: 'text', text: 'e' }] },
    ]);
  });

  it('puts tool results of several tool messages and the following user text into one user turn, results first', () => {
    const prompt = convertToAnthropicMessages([
      user('go'),
      { role: 'assistant', content: [
        { type: 'tool-call', id: 't1', name: 'search', arguments: '{"q":"x"}' },
        { type: 'tool-call', id: 't2', name: 'fetch', arguments: '{"url":"u"}' },
      ] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 't1', content: [{ type: 'text', text: 'r1' }] }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 't2', content: [], isError: true }] },
      user('and now?'),
    ]);
    expect(prompt.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(prompt.messages[2].content).toEqual([
      { type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'r1' }] },
      { type: 'tool_result', tool_use_id: 't2', is_error: true },
      { type: 'text', text: 'and now?' },
    ]);
  });

  it('keeps images inside tool results', () => {
    const prompt = convertToAnthropicMessages([
      call('t1', 'screenshot'),
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 't1', content: [{ type: 'image', data: 'AAAA', mediaType: 'image/webp' }] }] },
    ]);
    expect(prompt.messages[1].content[0]).toEqual({
      type: 'tool_result',
      tool_use_id: 't1',
      content: [{ type: 'image', source: { type: 'base64', media_type: 'image/webp', data: 'AAAA' } }],
    });
  });

  it('rejects a tool result that answers no earlier tool call', () => {
    const error = errorOf(() =>
      convertToAnthropicMessages([user('x'), { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'ghost', content: [] }] }]),
    );
    expect(error.code).toBe('invalid_request');
    expect(error.param).toBe('messages[1]');
    expect(error.message).toContain('ghost');
  });

  it('rejects a tool result whose tool name differs from the call it answers', () => {
    const error = errorOf(() =>
      convertToAnthropicMessages([call('t1', 'search'), { role: 'tool', content: [{ type: 'tool-result', toolCallId: 't1', toolName: 'fetch', content: [] }] }]),
    );
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('search');
  });

  it('accepts a tool result whose tool name matches the call', () => {
    const prompt = convertToAnthropicMessages([call('t1', 'search'), { role: 'tool', content: [{ type: 'tool-result', toolCallId: 't1', toolName: 'search', content: [] }] }]);
    expect(prompt.messages[1]).toEqual({ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1' }] });
  });

  it('parses tool-call arguments into tool_use input; empty arguments become {}', () => {
    const prompt = convertToAnthropicMessages([
      { role: 'assistant', content: [
        { type: 'tool-call', id: 'a', name: 'f', arguments: '{"n":1,"nested":{"k":[1,2]}}' },
        { type: 'tool-call', id: 'b', name: 'g', arguments: '  ' },
      ] },
    ]);
    expect(prompt.messages[0].content).toEqual([
      { type: 'tool_use', id: 'a', name: 'f', input: { n: 1, nested: { k: [1, 2] } } },
      { type: 'tool_use', id: 'b', name: 'g', input: {} },
    ]);
  });

  it('rejects tool-call arguments that are not JSON, or not a JSON object', () => {
    const notJson = errorOf(() => convertToAnthropicMessages([user('x'), call('a', 'f', '{"n":')]));
    expect(notJson.code).toBe('invalid_request');
    expect(notJson.param).toBe('messages[1]');
    expect(errorOf(() => convertToAnthropicMessages([call('a', 'f', '[1,2]')])).code).toBe('invalid_request');
    expect(errorOf(() => convertToAnthropicMessages([call('a', 'f', 'null')])).code).toBe('invalid_request');
  });

  it('echoes signed thinking and redacted thinking, and drops unsigned reasoning with a warning', () => {
    const prompt = convertToAnthropicMessages([
      user('q'),
      { role: 'assistant', content: [
        { type: 'reasoning', text: 'signed', signature: 'sig' },
        { type: 'reasoning', text: '', redactedData: 'opaque' },
        { type: 'reasoning', text: 'from another provider' },
        { type: 'text', text: '' },
        { type: 'text', text: 'answer' },
      ] },
    ]);
    expect(prompt.messages[1].content).toEqual([
      { type: 'thinking', thinking: 'signed', signature: 'sig' },
      { type: 'redacted_thinking', data: 'opaque' },
      { type: 'text', text: 'answer' },
    ]);
    expect(prompt.warnings).toEqual([{ type: 'other', setting: 'reasoning', message: 'Reasoning without a signature was not sent to Anthropic' }]);
  });

  it('drops an assistant turn that has nothing left to send, keeping alternation', () => {
    const prompt = convertToAnthropicMessages([user('a'), { role: 'assistant', content: [{ type: 'text', text: '' }] }, user('b')]);
    expect(prompt.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }]);
  });

  it('maps image parts to base64 and url sources, turning data URLs into base64', () => {
    const prompt = convertToAnthropicMessages([
      { role: 'user', content: [
        { type: 'image', data: 'QUJD', mediaType: 'image/png' },
        { type: 'image', url: 'https://example.com/a.gif' },
        { type: 'image', url: 'data:image/gif;base64,R0lG' },
      ] },
    ]);
    expect(prompt.messages[0].content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'QUJD' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/a.gif' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/gif', data: 'R0lG' } },
    ]);
  });

  it('rejects an inline image without media type, or an image with neither url nor data', () => {
    expect(errorOf(() => convertToAnthropicMessages([{ role: 'user', content: [{ type: 'image', data: 'QUJD' }] }])).code).toBe('invalid_request');
    expect(errorOf(() => convertToAnthropicMessages([{ role: 'user', content: [{ type: 'image' }] }])).code).toBe('invalid_request');
  });
});
