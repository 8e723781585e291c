import { describe, expect, it } from 'vitest';
import { GatewayError, type ChatEvent, type UpstreamBody } from '../../spec/index.js';
import { mapOllamaFinishReason } from './map-ollama-finish-reason.js';
import { createOllamaChatStream } from './ollama-stream.js';
import { convertOllamaUsage } from './ollama-usage.js';

/** A body of NDJSON lines, one read each, that records whether it was closed early. */
function bodyOf(lines: string[]): UpstreamBody & { closed: boolean; reads: number } {
  const encoder = new TextEncoder();
  const body = {
    closed: false,
    reads: 0,
    [Symbol.asyncIterator]: async function* () {
      try {
        for (const line of lines) {
          body.reads++;
          yield encoder.encode(line);
        }
      } finally {
        body.closed = true;
      }
    },
    text: async () => lines.join(''),
    dump: async () => undefined,
  };
  return body;
}

const line = (value: unknown) => `${JSON.stringify(value)}\n`;
const doneLine = (extra: Record<string, unknown> = {}) => line({ model: 'm', created_at: '2026-01-01T00:00:00Z', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', eval_count: 2, ...extra });

async function run(body: UpstreamBody, signal = new AbortController().signal): Promise<ChatEvent[]> {
  const events: ChatEvent[] = [];
  for await (const event of createOllamaChatStream(body, { providerName: 'ollama', signal, warnings: [] })) events.push(event);
  return events;
}

describe('createOllamaChatStream', () => {
  it('emits content carried on the done line before the finish', async () => {
    const events = await run(bodyOf([doneLine({ message: { role: 'assistant', content: 'all at once' } })]));
    expect(events.map((event) => event.type)).toEqual(['stream-start', 'text-delta', 'finish']);
    expect(events[0]).toMatchObject({ model: 'm', created: 1767225600 });
  });

  it('uses tool-call ids when a newer server sends them, positions otherwise', async () => {
    const events = await run(
      bodyOf([
        line({ model: 'm', message: { role: 'assistant', content: '', tool_calls: [{ id: 'srv_1', function: { name: 'a', arguments: {} } }, { function: { name: 'b', arguments: { x: 1 } } }] }, done: false }),
        doneLine(),
      ]),
    );
    expect(events.filter((event) => event.type === 'tool-call-delta')).toEqual([
      { type: 'tool-call-delta', choice: 0, index: 0, id: 'srv_1', name: 'a', argumentsDelta: '{}' },
      { type: 'tool-call-delta', choice: 0, index: 1, id: 'call_1', name: 'b', argumentsDelta: '{"x":1}' },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'tool-calls', raw: 'stop' } });
  });

  it('an error as the very first line ends the stream with only that error', async () => {
    const events = await run(bodyOf([line({ error: 'model requires more system memory (12 GiB) than is available' })]));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', error: { code: 'upstream_error' } });
  });

  it('an error line about the context becomes context_length_exceeded', async () => {
    const events = await run(bodyOf([line({ error: 'input length exceeds the context length' })]));
    expect(events[0]).toMatchObject({ type: 'error', error: { code: 'context_length_exceeded' } });
  });

  it('a JSON line of the wrong shape is upstream_bad_response', async () => {
    const events = await run(bodyOf([line({ model: 'm', message: { content: 42 }, done: false })]));
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_bad_response' } });
  });

  it('an empty body is an error, not a finish', async () => {
    const events = await run(bodyOf([]));
    expect(events).toEqual([expect.objectContaining({ type: 'error', usage: {} })]);
  });

  it('a connection failure while reading keeps its GatewayError', async () => {
    const failing: UpstreamBody = {
      [Symbol.asyncIterator]: async function* () {
        yield new TextEncoder().encode(line({ model: 'm', message: { content: 'a' }, done: false }));
        throw new GatewayError('upstream_timeout', 'The provider stopped sending mid-response');
      },
      text: async () => '',
      dump: async () => undefined,
    };
    const events = await run(failing);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_timeout' } });
  });

  it('an aborted signal ends the stream with one client_closed_request error and stops reading', async () => {
    const controller = new AbortController();
    const body = bodyOf([line({ model: 'm', message: { content: 'a' }, done: false }), line({ model: 'm', message: { content: 'b' }, done: false }), doneLine()]);
    const events: ChatEvent[] = [];
    for await (const event of createOllamaChatStream(body, { providerName: 'ollama', signal: controller.signal, warnings: [] })) {
      events.push(event);
      if (event.type === 'text-delta') controller.abort();
    }
    expect(events.map((event) => event.type)).toEqual(['stream-start', 'text-delta', 'error']);
    expect(events.at(-1)).toMatchObject({ error: { code: 'client_closed_request' } });
    expect(body.reads).toBe(1);
    expect(body.closed).toBe(true);
  });

  it('an abort reason that is a GatewayError (a timeout) is kept', async () => {
    const controller = new AbortController();
    controller.abort(new GatewayError('upstream_timeout', 'total timeout'));
    const events = await run(bodyOf([doneLine()]), controller.signal);
    expect(events).toEqual([expect.objectContaining({ type: 'error', error: expect.objectContaining({ code: 'upstream_timeout' }) })]);
  });

  it('closes the body when the consumer stops early', async () => {
    const body = bodyOf([line({ model: 'm', message: { content: 'a' }, done: false }), doneLine()]);
    for await (const event of createOllamaChatStream(body, { providerName: 'ollama', signal: new AbortController().signal, warnings: [] })) {
      if (event.type === 'text-delta') break;
    }
    expect(body.closed).toBe(true);
  });
});

describe('mapOllamaFinishReason', () => {
  it('maps every done_reason', () => {
    expect(mapOllamaFinishReason('stop', false)).toEqual({ unified: 'stop', raw: 'stop' });
    expect(mapOllamaFinishReason('stop', true)).toEqual({ unified: 'tool-calls', raw: 'stop' });
    expect(mapOllamaFinishReason('length', true)).toEqual({ unified: 'length', raw: 'length' });
    expect(mapOllamaFinishReason('load', false)).toEqual({ unified: 'other', raw: 'load' });
    expect(mapOllamaFinishReason('unload', false)).toEqual({ unified: 'other', raw: 'unload' });
    expect(mapOllamaFinishReason(undefined, false)).toEqual({ unified: 'stop', raw: undefined });
  });
});

describe('convertOllamaUsage', () => {
  it('keeps missing counts undefined and the raw figures including durations', () => {
    expect(convertOllamaUsage({ eval_count: 5, total_duration: 10, eval_duration: 7 })).toEqual({
      inputTokens: undefined,
      outputTokens: 5,
      raw: { eval_count: 5, total_duration: 10, eval_duration: 7 },
    });
    expect(convertOllamaUsage({ prompt_eval_count: 0, eval_count: 0 })).toMatchObject({ inputTokens: 0, outputTokens: 0 });
    expect(convertOllamaUsage({})).toEqual({ inputTokens: undefined, outputTokens: undefined, raw: undefined });
  });
});
