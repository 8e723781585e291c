import { describe, expect, it } from 'vitest';
import { GatewayError, type ChatEvent } from '../../spec/index.js';
import { readOpenAIStream } from './openai-stream.js';

const encoder = new TextEncoder();

/** A body of the given reads; `failWith` is thrown after them; `released` tells whether the reader let go early. */
function body(reads: string[], failWith?: Error) {
  const state = { released: false, consumed: 0 };
  const iterable: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]() {
      let index = 0;
      return {
        async next() {
          if (index < reads.length) {
            state.consumed++;
            return { done: false, value: encoder.encode(reads[index++]) };
          }
          if (failWith) throw failWith;
          return { done: true, value: undefined };
        },
        async return() {
          state.released = true;
          return { done: true, value: undefined };
        },
      };
    },
  };
  return { iterable, state };
}

async function collect(reads: string[], options: { signal?: AbortSignal; failWith?: Error } = {}): Promise<ChatEvent[]> {
  const events: ChatEvent[] = [];
  const stream = readOpenAIStream(body(reads, options.failWith).iterable, {
    providerName: 'test',
    metadataKey: 'openai',
    signal: options.signal ?? new AbortController().signal,
    warnings: [],
  });
  for await (const event of stream) events.push(event);
  return events;
}

const chunk = (fields: Record<string, unknown>) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', ...fields })}\n\n`;
const text = (content: string) => chunk({ choices: [{ index: 0, delta: { content }, finish_reason: null }] });

describe('readOpenAIStream', () => {
  it('ends with the error of an `event: error` SSE event', async () => {
    const events = await collect([text('a'), 'event: error\ndata: {"error":{"message":"overloaded","type":"overloaded"}}\n\n']);
    const last = events.at(-1);
    expect(last?.type === 'error' && last.error.code).toBe('upstream_unavailable');
  });

  it('finishes with reason `other` on [DONE] without any finish_reason', async () => {
    const events = await collect([text('a'), 'data: [DONE]\n\n']);
    expect(events.at(-1)).toEqual({ type: 'finish', finishReason: { unified: 'other' }, usage: {} });
  });

  it('treats a data line that is not JSON as a bad response', async () => {
    const events = await collect([text('a'), 'data: {not json\n\n']);
    expect(events.map((event) => event.type)).toEqual(['stream-start', 'text-delta', 'error']);
    const last = events.at(-1);
    expect(last?.type === 'error' && last.error.code).toBe('upstream_bad_response');
  });

  it('keeps the usage reported before a connection reset', async () => {
    const usage = { prompt_tokens: 7, completion_tokens: 2 };
    const reset = new GatewayError('upstream_connection_error', 'reset');
    const events = await collect([chunk({ choices: [{ index: 0, delta: { content: 'x' }, finish_reason: null }], usage })], { failWith: reset });
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    if (last?.type === 'error') {
      expect(last.error).toBe(reset);
      expect(last.usage).toMatchObject({ inputTokens: 7, outputTokens: 2 });
    }
  });

  it('wraps a non-gateway read failure as a connection error', async () => {
    const events = await collect([text('x')], { failWith: new Error('socket hang up') });
    const last = events.at(-1);
    expect(last?.type === 'error' && last.error.code).toBe('upstream_connection_error');
  });

  it('yields only an error, with the abort reason, when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new GatewayError('upstream_timeout', 'total timeout'));
    const events = await collect([text('a'), text('b')], { signal: controller.signal });
    expect(events).toHaveLength(1);
    expect(events[0].type === 'error' && events[0].error.code).toBe('upstream_timeout');
  });

  it('stops reading and releases the body when the consumer aborts mid-stream', async () => {
    const controller = new AbortController();
    const { iterable, state } = body([text('a'), text('b'), text('c'), text('d')]);
    const events: ChatEvent[] = [];
    for await (const event of readOpenAIStream(iterable, { providerName: 'test', metadataKey: 'openai', signal: controller.signal, warnings: [] })) {
      events.push(event);
      if (event.type === 'text-delta') controller.abort();
    }
    expect(events.map((event) => event.type)).toEqual(['stream-start', 'text-delta', 'error']);
    expect(events[2].type === 'error' && events[2].error.code).toBe('client_closed_request');
    expect(state.consumed).toBe(1);
    expect(state.released).toBe(true);
  });

  it('releases the body when the consumer breaks out early', async () => {
    const { iterable, state } = body([text('a'), text('b')]);
    for await (const event of readOpenAIStream(iterable, { providerName: 'test', metadataKey: 'openai', signal: new AbortController().signal, warnings: [] })) {
      if (event.type === 'text-delta') break;
    }
    expect(state.released).toBe(true);
  });

  it('gives a refusal delta as text and keeps tool call ids stable when a server omits them', async () => {
    const events = await collect([
      chunk({ choices: [{ index: 0, delta: { refusal: 'No.' }, finish_reason: null }] }),
      chunk({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { name: 'f', arguments: '{}' } }] }, finish_reason: 'tool_calls' }] }),
      'data: [DONE]\n\n',
    ]);
    expect(events.slice(1, 3)).toEqual([
      { type: 'text-delta', choice: 0, delta: 'No.' },
      { type: 'tool-call-delta', choice: 0, index: 0, id: 'call_0_0', name: 'f', argumentsDelta: '{}' },
    ]);
  });
});
