import { describe, expect, it } from 'vitest';
import { textOfEventStream, textOfWireBody } from './wire-text.js';

describe('textOfWireBody', () => {
  it('reads the text and tool arguments of an OpenAI chat completion, not its ids, model or usage', () => {
    const body = JSON.stringify({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      model: 'gpt-4o-mini',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'Hello there', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"city":"Oslo"}' } }] }, finish_reason: 'tool_calls' },
      ],
      usage: { prompt_tokens: 3, completion_tokens: 5 },
    });
    expect(textOfWireBody(body)).toBe('Hello there{"city":"Oslo"}');
  });

  it('reads the text, thinking and tool input of an Anthropic message', () => {
    const body = JSON.stringify({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [
        { type: 'thinking', thinking: 'Consider Oslo.', signature: 'sig' },
        { type: 'text', text: 'Looking it up.' },
        { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { city: 'Oslo' } },
      ],
      stop_reason: 'tool_use',
      usage: { input_tokens: 3, output_tokens: 5 },
    });
    expect(textOfWireBody(body)).toBe('Consider Oslo.Looking it up.{"city":"Oslo"}');
  });

  it('answers empty for a body that is not JSON', () => {
    expect(textOfWireBody('<html>bad gateway</html>')).toBe('');
  });
});

describe('textOfEventStream', () => {
  it('joins OpenAI stream deltas split across chunks at any byte, including a multi-byte character', () => {
    const events = [
      { choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] },
      { choices: [{ index: 0, delta: { content: 'Grüß ' } }] },
      { choices: [{ index: 0, delta: { content: 'dich' } }] },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"a":1}' } }] } }] },
      { choices: [], usage: { prompt_tokens: 1, completion_tokens: 2 } },
    ];
    const bytes = new TextEncoder().encode(`${events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join('')}data: [DONE]\n\n`);
    for (const cut of [1, 17, 60, 61, 62, bytes.length - 3]) {
      expect(textOfEventStream([bytes.subarray(0, cut), bytes.subarray(cut)])).toBe('Grüß dich{"a":1}');
    }
  });

  it('joins Anthropic text and tool-input deltas', () => {
    const stream = [
      'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","content":[],"usage":{"input_tokens":3}}}\n\n',
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}\n\n',
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"q\\":"}}\n\n',
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"1}"}}\n\n',
    ];
    expect(textOfEventStream(stream)).toBe('Hi{"q":1}');
  });
});
