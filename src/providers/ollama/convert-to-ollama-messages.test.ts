import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../spec/index.js';
import { convertToOllamaMessages, imageBase64 } from './convert-to-ollama-messages.js';

describe('convertToOllamaMessages', () => {
  it('joins text parts and keeps one message per system turn', () => {
    expect(
      convertToOllamaMessages([
        { role: 'system', content: [{ type: 'text', text: 'A' }, { type: 'text', text: 'B' }] },
        { role: 'system', content: [{ type: 'text', text: 'C' }] },
        { role: 'user', content: [{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }], name: 'ann' },
      ]),
    ).toEqual([
      { role: 'system', content: 'A\nB' },
      { role: 'system', content: 'C' },
      { role: 'user', content: 'one\ntwo' },
    ]);
  });

  it('sends inline images as base64 and refuses remote URLs with unsupported_parameter', () => {
    expect(convertToOllamaMessages([{ role: 'user', content: [{ type: 'image', data: 'AAAA' }] }])).toEqual([{ role: 'user', content: '', images: ['AAAA'] }]);
    let thrown: unknown;
    try {
      convertToOllamaMessages([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }, { role: 'user', content: [{ type: 'image', url: 'https://example.com/cat.png' }] }]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    expect(thrown).toMatchObject({ code: 'unsupported_parameter', status: 400, param: 'messages[1]' });
  });

  it('decodes base64 and percent-encoded data: URLs', () => {
    expect(imageBase64({ type: 'image', url: 'data:image/png;base64,iVBORw0K' }, 'p')).toBe('iVBORw0K');
    expect(imageBase64({ type: 'image', url: 'data:image/svg+xml,%3Csvg%2F%3E' }, 'p')).toBe(Buffer.from('<svg/>').toString('base64'));
    expect(imageBase64({ type: 'image', url: 'data:application/octet-stream,%FF%00' }, 'p')).toBe(Buffer.from([0xff, 0]).toString('base64'));
  });

  it('turns assistant tool calls into objects and reasoning into thinking, dropping encrypted reasoning', () => {
    expect(
      convertToOllamaMessages([
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: '', redactedData: 'opaque' },
            { type: 'reasoning', text: 'plan' },
            { type: 'text', text: 'Checking.' },
            { type: 'tool-call', id: 'a', name: 'lookup', arguments: '{"q":"x","n":2}' },
            { type: 'tool-call', id: 'b', name: 'now', arguments: '' },
          ],
        },
      ]),
    ).toEqual([
      {
        role: 'assistant',
        content: 'Checking.',
        thinking: 'plan',
        tool_calls: [{ function: { name: 'lookup', arguments: { q: 'x', n: 2 } } }, { function: { name: 'now', arguments: {} } }],
      },
    ]);
  });

  it('rejects tool-call arguments that are not a JSON object', () => {
    for (const text of ['{oops', '[1,2]', '"text"']) {
      expect(() => convertToOllamaMessages([{ role: 'assistant', content: [{ type: 'tool-call', id: 'a', name: 'f', arguments: text }] }])).toThrow(
        expect.objectContaining({ code: 'invalid_request' }),
      );
    }
  });

  it('sends each tool result as its own tool message, naming the tool from the call when not given', () => {
    expect(
      convertToOllamaMessages([
        { role: 'assistant', content: [{ type: 'tool-call', id: 'c1', name: 'weather', arguments: '{}' }, { type: 'tool-call', id: 'c2', name: 'time', arguments: '{}' }] },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'c1', content: [{ type: 'text', text: 'sunny' }] },
            { type: 'tool-result', toolCallId: 'c2', toolName: 'clock', content: [{ type: 'text', text: '12:00' }, { type: 'image', data: 'BBBB' }] },
            { type: 'tool-result', toolCallId: 'unknown', content: [{ type: 'text', text: '?' }] },
          ],
        },
      ]).slice(1),
    ).toEqual([
      { role: 'tool', content: 'sunny', tool_name: 'weather' },
      { role: 'tool', content: '12:00', images: ['BBBB'], tool_name: 'clock' },
      { role: 'tool', content: '?' },
    ]);
  });
});
