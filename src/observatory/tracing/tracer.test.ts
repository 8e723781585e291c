import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../kit/system-clock.js';
import type { LedgerRow } from '../ledger-row.js';
import { MemoryTraceStore } from './memory-trace-store.js';
import { createOtlpSender } from './otlp-exporter.js';
import { SpanQueue } from './span-queue.js';
import { startOtlpReceiver, type OtlpReceiver } from './test-support/otlp-receiver.js';
import { Tracer } from './tracer.js';
import type { TraceSpan } from './trace-types.js';

let receiver: OtlpReceiver;
let tracer: Tracer | undefined;
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await tracer?.close();
  tracer = undefined;
  await receiver.close();
});

const logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {}, child() { return logger; } } as never;

function row(id: string, overrides: Partial<LedgerRow> = {}): LedgerRow {
  return { id, timestamp: 1_700_000_000_000, dialect: 'openai', operation: 'chat', requestedModel: 'gpt-4o', servedProvider: 'openai', servedModel: 'gpt-4o', stream: false, status: 'ok', httpStatus: 200, attempts: [], latencyMs: 120, inputTokens: 9, outputTokens: 3, usageSource: 'provider', ...overrides };
}

function observed(traceparent?: string) {
  return { body: () => ({ metadata: { session_id: 'sess-1' } }), outputText: () => '', traceparent };
}

function tracerWith(options: Partial<ConstructorParameters<typeof Tracer>[0]> = {}): Tracer {
  tracer = new Tracer({
    store: new MemoryTraceStore(),
    export: createOtlpSender({ endpoint: receiver.url.replace('/v1/traces', ''), headers: { authorization: 'Bearer collector' }, resource: { 'service.name': 'gateway-under-test' }, version: '9.9.9', logger, timeoutMs: 2_000 }),
    sampleRatio: 1,
    clock: systemClock,
    intervalMs: 5,
    retryDelayMs: 5,
    ...options,
  });
  return tracer;
}

describe('OTLP export of request spans', () => {
  it('sends each finished request as spans of an ExportTraceServiceRequest, off the request turn, with the configured headers', async () => {
    const traces = new MemoryTraceStore();
    const tracing = tracerWith({ store: traces });
    tracing.observe(row('req-a'), observed('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'));
    tracing.observe(row('req-b', { status: 'error', httpStatus: 429, errorCode: 'rate_limited' }), observed());
    // Nothing is built or sent on the caller's turn.
    expect(receiver.spans).toHaveLength(0);
    const spans = await receiver.waitForSpans(2);
    expect(spans.map((span) => span.attributes['switchyard.request.id']).sort()).toEqual(['req-a', 'req-b']);
    const joined = spans.find((span) => span.attributes['switchyard.request.id'] === 'req-a')!;
    expect(joined).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentSpanId: '00f067aa0ba902b7', kind: 2, statusCode: 0, startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000120000000' });
    expect(joined.attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 9, 'gen_ai.usage.output_tokens': 3, 'gen_ai.conversation.id': 'sess-1' });
    expect(joined.resource).toEqual({ 'service.name': 'gateway-under-test' });
    const failed = spans.find((span) => span.attributes['switchyard.request.id'] === 'req-b')!;
    expect(failed).toMatchObject({ statusCode: 2, attributes: { 'error.type': 'rate_limited' } });
    expect(receiver.requests[0]).toMatchObject({ authorization: 'Bearer collector', 'content-type': 'application/json' });
    await tracing.flush();
    expect((await traces.listTraces({})).traces).toHaveLength(2);
  });

  it('retries a batch the collector refused with 503, and drops one it rejects with 400', async () => {
    const tracing = tracerWith();
    receiver.failNext(2, 503);
    tracing.observe(row('req-retried'), observed());
    const [span] = await receiver.waitForSpans(1, 10_000);
    expect(span.attributes['switchyard.request.id']).toBe('req-retried');
    expect(receiver.requests).toHaveLength(3);

    receiver.failNext(1, 400);
    tracing.observe(row('req-refused'), observed());
    tracing.observe(row('req-later'), observed());
    await tracing.flush();
    tracing.observe(row('req-after'), observed());
    await tracing.flush();
    // The refused batch is not sent again; the next one goes through.
    expect(receiver.spans.map((received) => received.attributes['switchyard.request.id'])).toEqual(['req-retried', 'req-after']);
    expect(tracing.stats().export?.failedSends).toBe(2);
  });

  it('exports only the sampled share but stores every trace', async () => {
    const traces = new MemoryTraceStore();
    const tracing = tracerWith({ store: traces, sampleRatio: 0 });
    for (let index = 0; index < 20; index += 1) tracing.observe(row(`req-${index}`), observed());
    tracing.observe(row('req-sampled-by-client'), observed('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'));
    await tracing.flush();
    expect(receiver.spans.map((span) => span.attributes['switchyard.request.id'])).toEqual(['req-sampled-by-client']);
    expect((await traces.listTraces({ limit: 100 })).traces).toHaveLength(21);
  });

  it('scores requests with the configured rules', async () => {
    const traces = new MemoryTraceStore();
    const tracing = tracerWith({ store: traces, export: undefined, scoreRules: [{ name: 'slow', when: 'latency', thresholdMs: 1000, value: 'slow' }, { name: 'limited', when: 'error', errorCodes: ['rate_limited'], value: 1 }] });
    tracing.observe(row('req-slow', { latencyMs: 1500 }), observed('00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-00f067aa0ba902b7-01'));
    tracing.observe(row('req-limited', { status: 'error', errorCode: 'rate_limited' }), observed('00-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-00f067aa0ba902b7-01'));
    tracing.observe(row('req-timeout', { status: 'error', errorCode: 'upstream_timeout' }), observed('00-cccccccccccccccccccccccccccccccc-00f067aa0ba902b7-01'));
    await tracing.flush();
    expect((await traces.getTrace('a'.repeat(32)))?.scores).toEqual([expect.objectContaining({ name: 'slow', value: 'slow', dataType: 'categorical', source: 'rule' })]);
    expect((await traces.getTrace('b'.repeat(32)))?.scores).toEqual([expect.objectContaining({ name: 'limited', value: 1, dataType: 'numeric' })]);
    expect((await traces.getTrace('c'.repeat(32)))?.scores).toEqual([]);
  });
});

describe('the span queue', () => {
  it('keeps at most its bound while the sink fails, dropping the oldest, and sends the rest once it recovers', async () => {
    const timers: Array<() => void> = [];
    let failing = true;
    const received: string[] = [];
    const queue = new SpanQueue({
      name: 'test',
      maxBatch: 2,
      maxQueued: 4,
      scheduler: { schedule: (callback) => (timers.push(callback), () => undefined) },
      sink: async (spans) => {
        if (failing) throw new Error('down');
        received.push(...spans.map((span) => span.spanId));
      },
    });
    const span = (spanId: string): TraceSpan => ({ traceId: 'a'.repeat(32), spanId, name: spanId, kind: 'span', startTime: 0, endTime: 0, status: 'ok', attributes: {} });
    queue.push([span('1'), span('2')]);
    await expect(queue.flush()).rejects.toThrow('sending spans failed');
    queue.push([span('3'), span('4'), span('5')]);
    expect(queue.stats()).toMatchObject({ queued: 4, dropped: 1, failedSends: 1 });
    failing = false;
    await queue.flush();
    expect(received).toEqual(['2', '3', '4', '5']);
    await queue.close();
    queue.push([span('6')]);
    expect(queue.stats()).toMatchObject({ queued: 0, sent: 4, dropped: 2 });
  });
});
