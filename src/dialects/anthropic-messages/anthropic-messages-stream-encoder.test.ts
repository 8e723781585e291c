import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../spec/index.js';
import { createAnthropicMessagesStreamEncoder } from './anthropic-messages-stream-encoder.js';

const context = { requestId: 'r1', model: 'claude', created: 1700000000, includeUsage: true };

function encodeAll(events: ChatEvent[]): Array<{ event: string; data: Record<string, unknown> }> {
  const encoder = createAnthropicMessagesStreamEncoder(context);
  return events
    .map((event) => encoder.encode(event))
    .join('')
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      return { event: eventLine.slice(7), data: JSON.parse(dataLine.slice(6)) as Record<string, unknown> };
    });
}

describe('AnthropicMessagesStreamEncoder', () => {
  it('sends message_start even without stream-start, and a bare message for an empty answer', () => {
    const events = encodeAll([{ type: 'finish', finishReason: { unified: 'stop' }, usage: { inputTokens: 4, outputTokens: 0 } }]);
    expect(events.map((event) => event.event)).toEqual(['message_start', 'message_delta', 'message_stop']);
    expect((events[0].data.message as { id: string }).id).toBe('msg_r1');
    expect(events[1].data).toEqual({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 0, input_tokens: 4 } });
  });

  it('starts a new block when the tool index changes, giving id-less calls an id', () => {
    const events = encodeAll([
      { type: 'tool-call-delta', choice: 0, index: 0, name: 'a', argumentsDelta: '{}' },
      { type: 'tool-call-delta', choice: 0, index: 1, name: 'b', argumentsDelta: '{}' },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage: {} },
    ]);
    const starts = events.filter((event) => event.event === 'content_block_start').map((event) => event.data);
    expect(starts).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_r1_0', name: 'a', input: {} } },
      { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_r1_1', name: 'b', input: {} } },
    ]);
    expect(events.filter((event) => event.event === 'content_block_stop').map((event) => event.data.index)).toEqual([0, 1]);
    expect(events.at(-2)?.data.delta).toEqual({ stop_reason: 'tool_use', stop_sequence: null });
  });

  it('maps content-filter to refusal and says nothing after an error', () => {
    const finished = encodeAll([{ type: 'finish', finishReason: { unified: 'content-filter' }, usage: {} }]);
    expect((finished[1].data.delta as { stop_reason: string }).stop_reason).toBe('refusal');
    const encoder = createAnthropicMessagesStreamEncoder(context);
    encoder.encode({ type: 'stream-start', warnings: [] });
    expect(encoder.encode({ type: 'error', error: new (class extends Error {})('boom') as never })).toContain('"type":"api_error"');
    expect(encoder.encode({ type: 'text-delta', choice: 0, delta: 'late' })).toBe('');
  });
});
