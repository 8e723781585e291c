import { describe, expect, it } from 'vitest';
import { GatewayError, type ChatEvent } from '../../spec/index.js';
import { readAnthropicStream } from './anthropic-stream.js';

const encoder = new TextEncoder();

/** A body that yields the given reads and counts how many the reader took. */
function bodyOf(reads: string[]) {
  const counter = { taken: 0 };
  const body = {
    async *[Symbol.asyncIterator]() {
      for (const read of reads) {
        counter.taken++;
        yield encoder.encode(read);
      }
    },
  };
  return { body, counter };
}

async function collect(reads: string[], signal = new AbortController().signal): Promise<ChatEvent[]> {
  const events: ChatEvent[] = [];
  for await (const event of readAnthropicStream({ providerName: 'anthropic', body: bodyOf(reads).body, signal, warnings: [] })) events.push(event);
  return events;
}

const messageStart = 'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","model":"m","usage":{"input_tokens":5,"output_tokens":1}}}\n\n';
const textStart = 'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n';
const textDelta = (text: string) => `event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":${JSON.stringify(text)}}}\n\n`;
const messageDelta = 'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"stop_sequence","stop_sequence":"###"},"usage":{"output_tokens":7}}\n\n';
const messageStop = 'event: message_stop\ndata: {"type":"message_stop"}\n\n';

describe('readAnthropicStream', () => {
  it('ends with an error event only when the first event is an error', async () => {
    const events = await collect(['event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n']);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', error: { code: 'upstream_unavailable' } });
    expect(events[0]).not.toHaveProperty('usage');
  });

  it('reads an error announced only by data.type (no event line)', async () => {
    const events = await collect([messageStart, 'data: {"type":"error","error":{"type":"api_error","message":"x"}}\n\n']);
    expect(events.map((event) => event.type)).toEqual(['stream-start', 'error']);
    expect(events[1]).toMatchObject({ error: { code: 'upstream_error' }, usage: { inputTokens: 5, outputTokens: 1 } });
  });

  it('turns a data line that is not JSON into upstream_bad_response', async () => {
    const events = await collect([messageStart, 'event: content_block_delta\ndata: {oops\n\n', messageStop]);
    expect(events[events.length - 1]).toMatchObject({ type: 'error', error: { code: 'upstream_bad_response' } });
  });

  it('turns a known event of the wrong shape into upstream_bad_response, with the usage so far', async () => {
    const events = await collect([messageStart, 'event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"type":"text_delta","text":"x"}}\n\n', messageStop]);
    expect(events.map((event) => event.type)).toEqual(['stream-start', 'error']);
    expect(events[1]).toMatchObject({ error: { code: 'upstream_bad_response' }, usage: { inputTokens: 5 } });
  });

  it('ignores unknown event types and still starts with stream-start when message_start is missing', async () => {
    const events = await collect(['event: future_event\ndata: {"type":"future_event"}\n\n', textStart, textDelta('hi'), messageDelta, messageStop]);
    expect(events.map((event) => event.type)).toEqual(['stream-start', 'text-delta', 'finish']);
    expect(events[0]).toEqual({ type: 'stream-start', warnings: [] });
  });

  it('passes the call warnings on in stream-start and the stop sequence in provider metadata', async () => {
    const warnings = [{ type: 'unsupported-setting' as const, setting: 'seed', message: 'no seed' }];
    const events: ChatEvent[] = [];
    const { body } = bodyOf([messageStart, textStart, textDelta('a'), messageDelta, messageStop]);
    for await (const event of readAnthropicStream({ providerName: 'anthropic', body, signal: new AbortController().signal, warnings })) events.push(event);
    expect(events[0]).toEqual({ type: 'stream-start', id: 'msg_1', model: 'm', warnings });
    expect(events[events.length - 1]).toMatchObject({
      type: 'finish',
      finishReason: { unified: 'stop', raw: 'stop_sequence' },
      usage: { inputTokens: 5, outputTokens: 7 },
      providerMetadata: { anthropic: { stopSequence: '###' } },
    });
  });

  it('stops reading after message_stop', async () => {
    const { body, counter } = bodyOf([messageStart, textStart, messageDelta, messageStop, textDelta('late'), textDelta('later')]);
    const events: ChatEvent[] = [];
    for await (const event of readAnthropicStream({ providerName: 'anthropic', body, signal: new AbortController().signal, warnings: [] })) events.push(event);
    expect(events.filter((event) => event.type === 'text-delta')).toHaveLength(0);
    expect(counter.taken).toBe(4);
  });

  it('reports the abort reason when it is a GatewayError (a total timeout), with partial usage', async () => {
    const controller = new AbortController();
    const { body, counter } = bodyOf([messageStart, textStart, textDelta('a'), textDelta('b'), textDelta('c'), messageStop]);
    const events: ChatEvent[] = [];
    for await (const event of readAnthropicStream({ providerName: 'anthropic', body, signal: controller.signal, warnings: [] })) {
      events.push(event);
      if (event.type === 'text-delta') controller.abort(new GatewayError('upstream_timeout', 'total timeout'));
    }
    expect(events.map((event) => event.type)).toEqual(['stream-start', 'text-delta', 'error']);
    expect(events[2]).toMatchObject({ error: { code: 'upstream_timeout' }, usage: { inputTokens: 5, outputTokens: 1 } });
    expect(counter.taken).toBe(3);
  });

  it('yields client_closed_request when aborted before the first read', async () => {
    const controller = new AbortController();
    controller.abort();
    const events = await collect([messageStart, messageStop], controller.signal);
    expect(events).toEqual([{ type: 'error', error: expect.objectContaining({ code: 'client_closed_request' }) }]);
  });

  it('turns a read failure that is not a GatewayError into upstream_connection_error', async () => {
    const body = {
      async *[Symbol.asyncIterator]() {
        yield encoder.encode(messageStart);
        throw new Error('socket hang up');
      },
    };
    const events: ChatEvent[] = [];
    for await (const event of readAnthropicStream({ providerName: 'anthropic', body, signal: new AbortController().signal, warnings: [] })) events.push(event);
    expect(events[events.length - 1]).toMatchObject({ type: 'error', error: { code: 'upstream_connection_error' }, usage: { inputTokens: 5 } });
  });

  it('emits a thinking block that starts with text, and skips citations', async () => {
    const events = await collect([
      messageStart,
      'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"pre"}}\n\n',
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":{}}}\n\n',
      messageDelta,
      messageStop,
    ]);
    expect(events.filter((event) => event.type === 'reasoning-delta')).toEqual([{ type: 'reasoning-delta', choice: 0, delta: 'pre' }]);
  });
});
