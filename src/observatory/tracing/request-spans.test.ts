import { describe, expect, it } from 'vitest';
import type { LedgerRow } from '../ledger-row.js';
import { buildRequestSpans } from './request-spans.js';
import type { RequestTimeline } from './request-timeline.js';

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

const timeline: RequestTimeline = {
  startedMonotonic: 500,
  authenticatedMonotonic: 502,
  governedMonotonic: 510,
  attempts: [
    { deploymentId: 'a', provider: 'openai', model: 'gpt-4o-mini', group: 'fast', startedAt: 10_011, durationMs: 30, outcome: 'error', errorCode: 'upstream_unavailable', upstreamStatus: 503 },
    { deploymentId: 'b', provider: 'azure', model: 'gpt-4o-mini', group: 'fast', startedAt: 10_041, durationMs: 0, outcome: 'skipped', reason: 'breaker-open' },
    { deploymentId: 'c', provider: 'openai', model: 'gpt-4o-mini', group: 'fast', startedAt: 10_045, durationMs: 200, outcome: 'success', reason: 'retry' },
  ],
  trace: { traceId: 'f'.repeat(32), requestSpanId: '1'.repeat(16), parentSpanId: '2'.repeat(16), sampled: true, attemptSpanIds: ['3'.repeat(16), '4'.repeat(16)] },
};

describe('spans of a gateway request', () => {
  it('builds the request, stage and attempt spans from the row and the timeline, with inclusive GenAI usage', () => {
    const { spans, sampled } = buildRequestSpans({ row: row(), timeline, sampleRatio: 0, sessionId: 'chat-7' });
    expect(sampled).toBe(true);
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
    const { spans } = buildRequestSpans({
      row: refused,
      timeline: { startedMonotonic: 0, authenticatedMonotonic: 1, attempts: [] },
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00',
      sampleRatio: 1,
    });
    expect(spans.map((span) => [span.kind, span.status])).toEqual([['request', 'error'], ['stage', 'error']]);
    expect(spans[0]).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentSpanId: '00f067aa0ba902b7' });
    expect(spans[0].attributes).toMatchObject({ 'error.type': 'invalid_api_key', 'http.response.status_code': 401 });
    expect(spans[0].attributes['gen_ai.usage.input_tokens']).toBeUndefined();
  });
});
