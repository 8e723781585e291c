import { describe, expect, it } from 'vitest';
import { GatewayError, type ChatEvent, type UpstreamBody } from '../../spec/index.js';
import { readGeminiStream } from './gemini-stream.js';

const encoder = new TextEncoder();

function body(reads: Array<string | Error>): UpstreamBody {
  return {
    async *[Symbol.asyncIterator]() {
      for (const read of reads) {
        if (read instanceof Error) throw read;
        yield encoder.encode(read);
      }
    },
    text: async () => reads.join(''),
    dump: async () => undefined,
  };
}

const data = (value: unknown) => `data: ${JSON.stringify(value)}\r\n\r\n`;

async function collect(stream: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const events: ChatEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

const options = () => ({ providerName: 'gemini', signal: new AbortController().signal, warnings: [] });

describe('readGeminiStream', () => {
  it('keeps candidates apart: deltas per choice, call indexes per choice, one finish with every reason', async () => {
    const events = await collect(
      readGeminiStream(
        body([
          data({
            candidates: [
              { index: 0, content: { role: 'model', parts: [{ text: 'A' }] } },
              { index: 1, content: { role: 'model', parts: [{ functionCall: { name: 'f', args: { x: 1 } } }] } },
            ],
          }),
          data({
            candidates: [
              { index: 0, content: { role: 'model', parts: [{ text: 'B' }] }, finishReason: 'MAX_TOKENS' },
              { index: 1, content: { role: 'model', parts: [{ functionCall: { id: 'given', name: 'g', args: {} } }] }, finishReason: 'STOP' },
            ],
            usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 8 },
          }),
        ]),
        options(),
      ),
    );
    expect(events).toEqual([
      { type: 'stream-start', warnings: [] },
      { type: 'text-delta', choice: 0, delta: 'A' },
      { type: 'tool-call-delta', choice: 1, index: 0, id: 'call_1_0', name: 'f', argumentsDelta: '{"x":1}' },
      { type: 'text-delta', choice: 0, delta: 'B' },
      { type: 'tool-call-delta', choice: 1, index: 1, id: 'given', name: 'g', argumentsDelta: '{}' },
      {
        type: 'finish',
        finishReason: { unified: 'length', raw: 'MAX_TOKENS' },
        choiceFinishReasons: [
          { unified: 'length', raw: 'MAX_TOKENS' },
          { unified: 'tool-calls', raw: 'STOP' },
        ],
        usage: { inputTokens: 3, outputTokens: 8, raw: { promptTokenCount: 3, candidatesTokenCount: 8 } },
      },
    ]);
  });

  it('emits thought parts as reasoning deltas with their signature', async () => {
    const events = await collect(
      readGeminiStream(
        body([data({ candidates: [{ content: { parts: [{ text: 'hmm', thought: true, thoughtSignature: 's1' }, { text: 'ok' }] }, finishReason: 'STOP' }] })]),
        options(),
      ),
    );
    expect(events.slice(1, 3)).toEqual([
      { type: 'reasoning-delta', choice: 0, delta: 'hmm', signature: 's1' },
      { type: 'text-delta', choice: 0, delta: 'ok' },
    ]);
  });

  it('ends with content_filtered when the prompt is blocked', async () => {
    const events = await collect(readGeminiStream(body([data({ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: 7 } })]), options()));
    expect(events.map((event) => event.type)).toEqual(['stream-start', 'error']);
    const last = events[1];
    expect(last.type === 'error' && last.error.code).toBe('content_filtered');
    expect(last.type === 'error' && last.usage?.inputTokens).toBe(7);
  });

  it('ends with upstream_bad_response on a data line that is not JSON', async () => {
    const events = await collect(readGeminiStream(body(['data: {oops\r\n\r\n']), options()));
    expect(events.map((event) => (event.type === 'error' ? event.error.code : event.type))).toEqual(['stream-start', 'upstream_bad_response']);
  });

  it('passes a connection reset on as the error event, never throwing', async () => {
    const reset = new GatewayError('upstream_connection_error', 'reset');
    const events = await collect(readGeminiStream(body([data({ candidates: [{ content: { parts: [{ text: 'Hi' }] } }] }), reset]), options()));
    const last = events[events.length - 1];
    expect(last.type === 'error' && last.error).toBe(reset);
  });

  it('stops reading when aborted while waiting for bytes, with one client_closed_request error', async () => {
    const controller = new AbortController();
    let reads = 0;
    const waiting: UpstreamBody = {
      async *[Symbol.asyncIterator]() {
        reads++;
        yield encoder.encode(data({ candidates: [{ content: { parts: [{ text: 'Hi' }] } }], usageMetadata: { promptTokenCount: 2, candidatesTokenCount: 1 } }));
        // As a socket does: the read fails when the request's signal aborts.
        await new Promise((_resolve, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason)));
        reads++;
      },
      text: async () => '',
      dump: async () => undefined,
    };
    const events: ChatEvent[] = [];
    for await (const event of readGeminiStream(waiting, { providerName: 'gemini', signal: controller.signal, warnings: [] })) {
      events.push(event);
      if (event.type === 'text-delta') setTimeout(() => controller.abort(), 0);
    }
    expect(events.map((event) => event.type)).toEqual(['stream-start', 'text-delta', 'error']);
    const last = events[2];
    expect(last.type === 'error' && last.error.code).toBe('client_closed_request');
    expect(last.type === 'error' && last.usage?.outputTokens).toBe(1);
    expect(reads).toBe(1);
  });

  it('reports an empty stream as an error, not a finish', async () => {
    const events = await collect(readGeminiStream(body([]), options()));
    expect(events.map((event) => (event.type === 'error' ? event.error.code : event.type))).toEqual(['stream-start', 'upstream_bad_response']);
  });
});
