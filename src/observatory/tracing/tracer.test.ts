import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../kit/system-clock.js';
import type { LedgerRow, LedgerTrace } from '../ledger-row.js';
import { MemoryUsageLedger } from '../memory-usage-ledger.js';
import { MemoryTraceStore } from './memory-trace-store.js';
import { createOtlpSender } from './otlp-exporter.js';
import { SpanQueue } from './span-queue.js';
import { startOtlpReceiver, type OtlpReceiver } from './test-support/otlp-receiver.js';
import { newSpanId, newTraceId, parseTraceParent } from './trace-ids.js';
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

/** A traced request's row as the gateway records it: in the client's trace when it sent a `traceparent`. */
function row(id: string, overrides: Partial<LedgerRow> = {}, traceparent?: string): LedgerRow {
  const parent = parseTraceParent(traceparent);
  const trace: LedgerTrace = { traceId: parent?.traceId ?? newTraceId(), requestSpanId: newSpanId(), sessionId: 'sess-1', authenticatedAfterMs: 1, attempts: [] };
  if (parent !== undefined) trace.parentSpanId = parent.spanId;
  return { id, timestamp: 1_700_000_000_000, dialect: 'openai', operation: 'chat', requestedModel: 'gpt-4o', servedProvider: 'openai', servedModel: 'gpt-4o', stream: false, status: 'ok', httpStatus: 200, attempts: [], latencyMs: 120, inputTokens: 9, outputTokens: 3, usageSource: 'provider', trace, ...overrides };
}

function observed(traceparent?: string) {
  return { body: () => ({ metadata: { session_id: 'sess-1' } }), bodyText: () => undefined, outputText: () => '', traceparent };
}

/** A traced request, observed as the gateway does after queueing its row (which `ledger` then stores). */
function finish(tracing: Tracer, id: string, overrides: Partial<LedgerRow> = {}, traceparent?: string, ledger?: MemoryUsageLedger): void {
  const finished = row(id, overrides, traceparent);
  void ledger?.append([finished]);
  tracing.observe(finished, observed(traceparent));
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
    const ledger = new MemoryUsageLedger();
    const traces = new MemoryTraceStore({ ledger });
    const tracing = tracerWith({ store: traces });
    finish(tracing, 'req-a', {}, '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', ledger);
    finish(tracing, 'req-b', { status: 'error', httpStatus: 429, errorCode: 'rate_limited' }, undefined, ledger);
    // Nothing is built or sent on the caller's turn.
    expect(receiver.spans).toHaveLength(0);
    const spans = (await receiver.waitForSpans(4)).filter((span) => span.kind === 2);
    expect(spans.map((span) => span.attributes['switchyard.request.id']).sort()).toEqual(['req-a', 'req-b']);
    const joined = spans.find((span) => span.attributes['switchyard.request.id'] === 'req-a')!;
    expect(joined).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentSpanId: '00f067aa0ba902b7', kind: 2, statusCode: 0, startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000120000000' });
    expect(joined.attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 9, 'gen_ai.usage.output_tokens': 3, 'gen_ai.conversation.id': 'sess-1' });
    expect(joined.resource).toEqual({ 'service.name': 'gateway-under-test' });
    const failed = spans.find((span) => span.attributes['switchyard.request.id'] === 'req-b')!;
    expect(failed).toMatchObject({ statusCode: 2, attributes: { 'error.type': 'rate_limited' } });
    expect(receiver.requests[0]).toMatchObject({ authorization: 'Bearer collector', 'content-type': 'application/json' });
    await tracing.flush();
    // The stored traces are derived from the same rows: the exported span is the one the store shows.
    const stored = await traces.getTrace('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(stored?.spans.map((span) => span.spanId)).toEqual(receiver.spans.filter((span) => span.traceId === '4bf92f3577b34da6a3ce929d0e0e4736').map((span) => span.spanId));
    expect((await traces.listTraces({})).traces).toHaveLength(2);
  });

  it('retries a batch the collector refused with 503, and drops one it rejects with 400', async () => {
    const tracing = tracerWith();
    receiver.failNext(2, 503);
    finish(tracing, 'req-retried');
    const [span] = await receiver.waitForSpans(1, 10_000);
    expect(span.attributes['switchyard.request.id']).toBe('req-retried');
    expect(receiver.requests).toHaveLength(3);

    receiver.failNext(1, 400);
    finish(tracing, 'req-refused');
    finish(tracing, 'req-later');
    await tracing.flush();
    finish(tracing, 'req-after');
    await tracing.flush();
    // The refused batch is not sent again; the next one goes through.
    expect(receiver.spans.filter((received) => received.kind === 2).map((received) => received.attributes['switchyard.request.id'])).toEqual(['req-retried', 'req-after']);
    expect(tracing.stats().export?.failedSends).toBe(2);
  });

  it('exports only the sampled share but keeps every trace', async () => {
    const ledger = new MemoryUsageLedger();
    const traces = new MemoryTraceStore({ ledger });
    const tracing = tracerWith({ store: traces, sampleRatio: 0 });
    for (let index = 0; index < 20; index += 1) finish(tracing, `req-${index}`, {}, undefined, ledger);
    finish(tracing, 'req-sampled-by-client', {}, '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', ledger);
    await tracing.flush();
    expect(new Set(receiver.spans.map((span) => span.traceId))).toEqual(new Set(['4bf92f3577b34da6a3ce929d0e0e4736']));
    expect((await traces.listTraces({ limit: 100 })).traces).toHaveLength(21);
  });

  it('scores requests with the configured rules', async () => {
    const ledger = new MemoryUsageLedger();
    const traces = new MemoryTraceStore({ ledger });
    const tracing = tracerWith({ store: traces, export: undefined, scoreRules: [{ name: 'slow', when: 'latency', thresholdMs: 1000, value: 'slow' }, { name: 'limited', when: 'error', errorCodes: ['rate_limited'], value: 1 }] });
    finish(tracing, 'req-slow', { latencyMs: 1500 }, '00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-00f067aa0ba902b7-01', ledger);
    finish(tracing, 'req-limited', { status: 'error', errorCode: 'rate_limited' }, '00-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-00f067aa0ba902b7-01', ledger);
    finish(tracing, 'req-timeout', { status: 'error', errorCode: 'upstream_timeout' }, '00-cccccccccccccccccccccccccccccccc-00f067aa0ba902b7-01', ledger);
    // Nothing else is written for a request: the scores go to the store, the spans stay with the ledger.
    expect(tracing.stats().store?.sent).toBe(0);
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
