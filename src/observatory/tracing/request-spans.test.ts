import { describe, expect, it } from 'vitest';
import type { LedgerRow, LedgerTrace } from '../ledger-row.js';
import { buildRequestSpans } from './request-spans.js';

function row(overrides: Partial<LedgerRow> = {}): LedgerRow {
  return {
    id: 'req-1',
    timestamp: 10_000,
    dialect: 'openai',
    operation: 'chat',
    requestedModel: 'fast',
    servedProvider: 'openai',
    servedModel: 'gpt-4o-mini',
    stream: true,
    status: 'ok',
    httpStatus: 200,
    attempts: [],
    latencyMs: 900,
    timeToFirstTokenMs: 250,
    inputTokens: 100,
    cacheReadTokens: 20,
    cacheWriteTokens: 5,
    outputTokens: 40,
    reasoningTokens: 10,
    usageSource: 'provider',
    costMicros: 123,
    finishReason: 'stop',
    workspaceId: 'ws-1',
    ...overrides,
  };
}

const attempts: LedgerRow['attempts'] = [
  { deploymentId: 'a', provider: 'openai', model: 'gpt-4o-mini', durationMs: 30, outcome: 'error', errorCode: 'upstream_unavailable', upstreamStatus: 503 },
  { deploymentId: 'b', provider: 'azure', model: 'gpt-4o-mini', durationMs: 0, outcome: 'skipped' },
  { deploymentId: 'c', provider: 'openai', model: 'gpt-4o-mini', durationMs: 200, outcome: 'success' },
];

const trace: LedgerTrace = {
  traceId: 'f'.repeat(32),
  requestSpanId: '1'.repeat(16),
  parentSpanId: '2'.repeat(16),
  sessionId: 'chat-7',
  authenticatedAfterMs: 2,
  governedAfterMs: 10,
  attempts: [
    { spanId: '3'.repeat(16), group: 'fast', startedAfterMs: 11 },
    { group: 'fast', startedAfterMs: 41, reason: 'breaker-open' },
    { spanId: '4'.repeat(16), group: 'fast', startedAfterMs: 45, reason: 'retry' },
  ],
};

describe('spans of a gateway request', () => {
  it('derives the request, stage and attempt spans from the row and its trace, with inclusive GenAI usage', () => {
    const spans = buildRequestSpans(row({ attempts, trace }));
    const [request, authenticate, govern, route, failed, served] = spans;
    expect(spans).toHaveLength(6);
    expect(request).toMatchObject({ traceId: 'f'.repeat(32), spanId: '1'.repeat(16), parentSpanId: '2'.repeat(16), kind: 'request', startTime: 10_000, endTime: 10_900, sessionId: 'chat-7', workspaceId: 'ws-1' });
    expect(request.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 125,
      'gen_ai.usage.cache_read.input_tokens': 20,
      'gen_ai.usage.cache_creation.input_tokens': 5,
      'gen_ai.usage.output_tokens': 50,
      'gen_ai.usage.reasoning.output_tokens': 10,
      'gen_ai.response.time_to_first_chunk': 0.25,
      'gen_ai.request.stream': true,
      'gen_ai.conversation.id': 'chat-7',
      'switchyard.cost_micros': 123,
    });
    expect([authenticate, govern, route].map((span) => [span.name, span.startTime, span.endTime])).toEqual([
      ['switchyard.authenticate', 10_000, 10_002],
      ['switchyard.govern', 10_002, 10_010],
      ['switchyard.route', 10_010, 10_900],
    ]);
    expect(route.attributes['switchyard.route.skipped_deployments']).toBe(1);
    expect(failed).toMatchObject({ spanId: '3'.repeat(16), parentSpanId: route.spanId, status: 'error', startTime: 10_011, endTime: 10_041 });
    expect(failed.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
    // The serving attempt of a stream lasts until the stream ends, and carries the answer.
    expect(served).toMatchObject({ spanId: '4'.repeat(16), status: 'ok', startTime: 10_045, endTime: 10_900 });
    expect(served.attributes).toMatchObject({ 'switchyard.attempt.reason': 'retry', 'gen_ai.response.model': 'gpt-4o-mini', 'gen_ai.usage.output_tokens': 50 });
  });

  it('gives a request refused before routing only its request and authenticate spans, failed, in the client trace', () => {
    const refused = row({ status: 'error', httpStatus: 401, errorCode: 'invalid_api_key', servedProvider: undefined, servedModel: undefined, inputTokens: undefined, cacheReadTokens: undefined, cacheWriteTokens: undefined, outputTokens: undefined, reasoningTokens: undefined, costMicros: undefined });
    const spans = buildRequestSpans({ ...refused, trace: { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', requestSpanId: '5'.repeat(16), parentSpanId: '00f067aa0ba902b7', authenticatedAfterMs: 1, attempts: [] } });
    expect(spans.map((span) => [span.kind, span.status])).toEqual([['request', 'error'], ['stage', 'error']]);
    expect(spans[0]).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentSpanId: '00f067aa0ba902b7' });
    expect(spans[0].attributes).toMatchObject({ 'error.type': 'invalid_api_key', 'http.response.status_code': 401 });
    expect(spans[0].attributes['gen_ai.usage.input_tokens']).toBeUndefined();
  });

  it('gives the same spans, ids included, every time a row is read (a score can name a stage span)', () => {
    const first = buildRequestSpans(row({ attempts, trace }));
    const again = buildRequestSpans(row({ attempts, trace }));
    expect(again).toEqual(first);
    expect(new Set(first.map((span) => span.spanId)).size).toBe(first.length);
    for (const span of first) expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('has no spans for a request made with tracing off', () => {
    expect(buildRequestSpans(row())).toEqual([]);
  });
});
