import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockProvider } from '../mock-providers/mock-provider.js';
import { startOpenAIMock } from '../mock-providers/openai-mock.js';
import { startTestGateway, testMasterKey, type TestGateway } from '../support/test-gateway.js';
import { startOtlpReceiver, type OtlpReceiver } from '../../src/observatory/tracing/test-support/otlp-receiver.js';
import { otlpRequestType, otlpResponseType } from '../../src/observatory/tracing/test-support/otlp-proto.js';

// Tracing through a real gateway: the OpenAI SDK sends a `traceparent`; the provider call carries one in the
// same trace naming its attempt span; the stored trace has request, stage and attempt spans with GenAI
// attributes; an application's own observations (batch API and OTLP) land in the same trace; scores from
// the API and from a rule; the spans also arrive at a local OTLP collector.

let upstream: MockProvider;
let receiver: OtlpReceiver;
let gateway: TestGateway;
let developer: { workspaceId: string; secret: string };

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: string;
  status: string;
  startTime: number;
  endTime: number;
  attributes: Record<string, string | number | boolean>;
  requestId?: string;
  sessionId?: string;
  input?: unknown;
}
interface Trace {
  traceId: string;
  spans: Span[];
  scores: Array<{ name: string; value: unknown; dataType: string; source: string; spanId?: string }>;
}

beforeAll(async () => {
  upstream = await startOpenAIMock();
  receiver = await startOtlpReceiver();
  gateway = await startTestGateway({
    providers: [{ name: 'openai', kind: 'openai', apiKey: 'sk-upstream', baseUrl: upstream.baseUrl }],
    routing: { maxRetries: 1 },
    ledger: { flushIntervalMs: 5 },
    tracing: {
      enabled: true,
      flushIntervalMs: 10,
      otlp: { endpoint: receiver.url, headers: { 'x-collector-key': { env: 'COLLECTOR_KEY' } } },
      scoreRules: [{ name: 'failed', when: 'error', value: true }],
    },
  }, { COLLECTOR_KEY: 'collector-secret' });
  developer = await workspaceWithKey('tracing-app');
});
afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
  await receiver?.close();
});

async function call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, key = testMasterKey): Promise<{ status: number; body: T }> {
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function workspaceWithKey(name: string): Promise<{ workspaceId: string; secret: string }> {
  const workspace = await call<{ id: string }>('POST', '/admin/v1/workspaces', { organisationId: 'org_default', name });
  expect(workspace.status).toBe(201);
  const key = await call<{ secret: string }>('POST', '/admin/v1/keys', { workspaceId: workspace.body.id, name: `${name}-key`, role: 'developer', allowedRoutes: ['/v1', '/admin/v1'] });
  expect(key.status).toBe(201);
  return { workspaceId: workspace.body.id, secret: key.body.secret };
}

/** Writes what the gateway has queued, then reads the stored trace; `ready` must hold for it. */
async function traceWhen(traceId: string, ready: (trace: Trace) => boolean, key = developer.secret): Promise<Trace> {
  await gateway.running.settle();
  const answer = await call<Trace>('GET', `/admin/v1/traces/${traceId}`, undefined, key);
  expect(answer.status).toBe(200);
  expect(ready(answer.body), JSON.stringify(answer.body)).toBe(true);
  return answer.body;
}

const clientTraceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const clientSpanId = '00f067aa0ba902b7';

describe('request traces', () => {
  it('joins the client trace, propagates traceparent upstream per attempt, and stores request, stage and attempt spans with GenAI attributes', async () => {
    upstream.reset();
    upstream.enqueue({ kind: 'error', status: 503, message: 'overloaded' }, { kind: 'text', text: 'Hello traced', usage: { input: 11, cacheRead: 4, output: 6, reasoning: 2 } });
    const client = new OpenAI({ apiKey: developer.secret, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const { data, response } = await client.chat.completions
      .create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, { headers: { traceparent: `00-${clientTraceId}-${clientSpanId}-01` } })
      .withResponse();
    expect(data.choices[0].message.content).toBe('Hello traced');
    const requestId = response.headers.get('x-request-id');

    // Both provider calls carry a traceparent of the client's trace, each naming a span of its own.
    const upstreamParents = upstream.requests.map((request) => String(request.headers.traceparent));
    expect(upstreamParents).toHaveLength(2);
    for (const header of upstreamParents) expect(header).toMatch(new RegExp(`^00-${clientTraceId}-[0-9a-f]{16}-01$`));
    const upstreamSpanIds = upstreamParents.map((header) => header.split('-')[2]);
    expect(new Set([...upstreamSpanIds, clientSpanId]).size).toBe(3);

    const trace = await traceWhen(clientTraceId, (found) => found.spans.some((span) => span.kind === 'attempt'));
    const request = trace.spans.find((span) => span.kind === 'request')!;
    expect(request).toMatchObject({ parentSpanId: clientSpanId, requestId, name: 'chat openai/gpt-4o-mini', status: 'ok' });
    expect(request.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'openai/gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini',
      'gen_ai.provider.name': 'openai',
      'gen_ai.usage.input_tokens': 15,
      'gen_ai.usage.cache_read.input_tokens': 4,
      'gen_ai.usage.output_tokens': 8,
      'gen_ai.usage.reasoning.output_tokens': 2,
      'gen_ai.response.finish_reasons': 'stop',
    });
    const stages = trace.spans.filter((span) => span.kind === 'stage');
    expect(stages.map((span) => span.name).sort()).toEqual(['switchyard.authenticate', 'switchyard.govern', 'switchyard.route']);
    for (const stage of stages) expect(stage.parentSpanId).toBe(request.spanId);
    const route = stages.find((span) => span.name === 'switchyard.route')!;
    const attempts = trace.spans.filter((span) => span.kind === 'attempt');
    // The stored attempt spans are the ones the provider calls named as their parents.
    expect(attempts.map((span) => span.spanId)).toEqual(upstreamSpanIds);
    expect(attempts.map((span) => span.parentSpanId)).toEqual([route.spanId, route.spanId]);
    expect(attempts[0]).toMatchObject({ status: 'error', attributes: { 'error.type': 'upstream_unavailable', 'switchyard.upstream.status_code': 503 } });
    expect(attempts[1]).toMatchObject({ status: 'ok', name: 'chat gpt-4o-mini' });
    expect(attempts[1].attributes).toMatchObject({ 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 15, 'gen_ai.usage.output_tokens': 8 });

    const list = await call<{ object: string; data: Array<{ traceId: string; requestIds: string[]; status: string; spanCount: number }> }>('GET', `/admin/v1/traces?requestId=${requestId}`, undefined, developer.secret);
    expect(list.body).toEqual({ object: 'list', data: [expect.objectContaining({ traceId: clientTraceId, requestIds: [requestId], status: 'ok', spanCount: trace.spans.length })] });
  });

  it('exports the spans over OTLP/HTTP JSON with the configured headers and GenAI attributes', async () => {
    const spans = await receiver.waitForSpans(1);
    const deadline = Date.now() + 5_000;
    while (!spans.some((span) => span.traceId === clientTraceId && span.kind === 3 && span.statusCode === 0) && Date.now() < deadline) await receiver.waitForSpans(spans.length + 1, deadline - Date.now()).catch(() => undefined);
    const attempt = spans.find((span) => span.traceId === clientTraceId && span.kind === 3 && span.statusCode === 0)!;
    expect(attempt.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.usage.input_tokens': 15,
      'gen_ai.usage.output_tokens': 8,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    expect(attempt.resource['service.name']).toBe('switchyard');
    const server = spans.find((span) => span.traceId === clientTraceId && span.kind === 2)!;
    expect(server.parentSpanId).toBe(clientSpanId);
    expect(BigInt(server.endTimeUnixNano) >= BigInt(server.startTimeUnixNano)).toBe(true);
    expect(receiver.requests[0]['x-collector-key']).toBe('collector-secret');
  });

  it('traces a stream: time to first chunk, and the serving attempt lasting until the stream ends', async () => {
    upstream.reset();
    upstream.enqueue({ kind: 'text', chunks: ['Hel', 'lo'], usage: { input: 5, output: 2 } });
    const traceId = 'cd'.repeat(16);
    const client = new OpenAI({ apiKey: developer.secret, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const stream = await client.chat.completions.create(
      { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true, metadata: { session_id: 'stream-session' } },
      { headers: { traceparent: `00-${traceId}-${clientSpanId}-01` } },
    );
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('Hello');
    expect(String(upstream.requests[0].headers.traceparent)).toMatch(new RegExp(`^00-${traceId}-`));
    const trace = await traceWhen(traceId, (found) => found.spans.some((span) => span.kind === 'attempt'));
    const request = trace.spans.find((span) => span.kind === 'request')!;
    const attempt = trace.spans.find((span) => span.kind === 'attempt')!;
    expect(request).toMatchObject({ sessionId: 'stream-session', attributes: { 'gen_ai.request.stream': true, 'gen_ai.usage.input_tokens': 5, 'gen_ai.usage.output_tokens': 2 } });
    expect(typeof request.attributes['gen_ai.response.time_to_first_chunk']).toBe('number');
    expect(attempt.endTime).toBe(request.endTime);
    const sessions = await call<{ data: Array<{ traceId: string; sessionId?: string }> }>('GET', '/admin/v1/traces?sessionId=stream-session', undefined, developer.secret);
    expect(sessions.body.data).toEqual([expect.objectContaining({ traceId, sessionId: 'stream-session' })]);
  });

  it('scores a failed request with the configured rule', async () => {
    upstream.reset();
    upstream.enqueue({ kind: 'error', status: 400, message: 'bad prompt' });
    const traceId = 'ab'.repeat(16);
    const client = new OpenAI({ apiKey: developer.secret, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    await expect(client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }, { headers: { traceparent: `00-${traceId}-${clientSpanId}-01` } })).rejects.toThrow();
    const trace = await traceWhen(traceId, (found) => found.scores.length > 0);
    const request = trace.spans.find((span) => span.kind === 'request')!;
    expect(request.status).toBe('error');
    expect(trace.scores).toEqual([expect.objectContaining({ name: 'failed', value: true, dataType: 'boolean', source: 'rule', spanId: request.spanId })]);
  });
});

describe("applications' observations", () => {
  it('puts an agent run sent to /v1/observations in the same trace as the gateway spans, with usage and cost, reporting bad items', async () => {
    const now = Date.now();
    const answer = await call<{ successes: unknown[]; errors: Array<{ index: number; message: string }> }>(
      'POST',
      '/v1/observations',
      {
        batch: [
          { type: 'span', traceId: clientTraceId, id: 'agent-run', name: 'agent run', startTime: now - 1000, endTime: now, sessionId: 'session-42', input: { goal: 'answer' } },
          { type: 'generation', traceId: clientTraceId, id: 'plan', parentId: 'agent-run', name: 'plan', startTime: now - 900, endTime: now - 800, model: 'gpt-4o-mini', provider: 'openai', usage: { inputTokens: 1000, outputTokens: 500 } },
          { type: 'tool', traceId: clientTraceId, id: 'search', parentId: 'agent-run', name: 'web_search', startTime: now - 700, endTime: now - 600, output: ['result'] },
          { type: 'generation', traceId: 'not-a-trace', id: 'broken', name: 'broken', startTime: now },
        ],
        scores: [{ traceId: clientTraceId, spanId: 'plan', name: 'plan quality', value: 'good' }],
      },
      developer.secret,
    );
    expect(answer.status).toBe(207);
    expect(answer.body.successes).toHaveLength(4);
    expect(answer.body.errors).toEqual([expect.objectContaining({ index: 3, message: expect.stringContaining('traceId') })]);

    const trace = await traceWhen(clientTraceId, (found) => found.spans.some((span) => span.spanId === 'search'));
    expect(trace.spans.some((span) => span.kind === 'request')).toBe(true);
    const plan = trace.spans.find((span) => span.spanId === 'plan')!;
    expect(plan).toMatchObject({ kind: 'generation', parentSpanId: 'agent-run' });
    expect(plan.attributes).toMatchObject({ 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': 500 });
    // gpt-4o-mini at $0.15 / $0.60 per million tokens: 150 + 300 micro-dollars.
    expect(plan.attributes['switchyard.cost_micros']).toBe(450);
    expect(trace.spans.find((span) => span.spanId === 'agent-run')).toMatchObject({ sessionId: 'session-42', input: { goal: 'answer' } });
    expect(trace.spans.find((span) => span.spanId === 'search')).toMatchObject({ kind: 'tool', attributes: { 'gen_ai.tool.name': 'web_search' } });
    expect(trace.scores).toContainEqual(expect.objectContaining({ name: 'plan quality', value: 'good', dataType: 'categorical', spanId: 'plan', source: 'api' }));
  });

  it('accepts OTLP/HTTP JSON on /v1/traces and normalises older GenAI usage names', async () => {
    const start = BigInt(Date.now()) * 1_000_000n;
    const answer = await call('POST', '/v1/traces', {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'my-agent' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: clientTraceId,
                  spanId: 'aaaaaaaaaaaaaaaa',
                  parentSpanId: clientSpanId,
                  name: 'chat gpt-4o-mini',
                  kind: 3,
                  startTimeUnixNano: String(start),
                  endTimeUnixNano: String(start + 5_000_000n),
                  attributes: [
                    { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
                    { key: 'gen_ai.system', value: { stringValue: 'openai' } },
                    { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
                    { key: 'gen_ai.usage.prompt_tokens', value: { intValue: '2000' } },
                    { key: 'gen_ai.usage.completion_tokens', value: { intValue: 1000 } },
                  ],
                },
                { traceId: 'zz', spanId: 'bad', name: 'broken', startTimeUnixNano: '1' },
              ],
            },
          ],
        },
      ],
    }, developer.secret);
    expect(answer).toEqual({ status: 200, body: { partialSuccess: { rejectedSpans: '1', errorMessage: expect.any(String) } } });
    const trace = await traceWhen(clientTraceId, (found) => found.spans.some((span) => span.spanId === 'aaaaaaaaaaaaaaaa'));
    const foreign = trace.spans.find((span) => span.spanId === 'aaaaaaaaaaaaaaaa')!;
    expect(foreign).toMatchObject({ kind: 'generation', parentSpanId: clientSpanId });
    expect(foreign.attributes).toMatchObject({ 'service.name': 'my-agent', 'gen_ai.usage.input_tokens': 2000, 'gen_ai.usage.output_tokens': 1000, 'switchyard.cost_micros': 900 });
  });

  it('accepts OTLP/HTTP protobuf on /v1/traces and answers in protobuf', async () => {
    const start = BigInt(Date.now()) * 1_000_000n;
    const body = otlpRequestType
      .encode(
        otlpRequestType.fromObject({
          resource_spans: [
            {
              resource: { attributes: [{ key: 'service.name', value: { string_value: 'py-agent' } }] },
              scope_spans: [
                {
                  spans: [
                    {
                      trace_id: Buffer.from(clientTraceId, 'hex'),
                      span_id: Buffer.from('bbbbbbbbbbbbbbbb', 'hex'),
                      parent_span_id: Buffer.from(clientSpanId, 'hex'),
                      name: 'execute_tool lookup',
                      kind: 1,
                      start_time_unix_nano: start.toString(),
                      end_time_unix_nano: (start + 2_000_000n).toString(),
                      attributes: [
                        { key: 'gen_ai.operation.name', value: { string_value: 'execute_tool' } },
                        { key: 'gen_ai.tool.name', value: { string_value: 'lookup' } },
                      ],
                    },
                    { trace_id: Buffer.alloc(3), span_id: Buffer.alloc(8, 1), name: 'bad ids', start_time_unix_nano: '1' },
                  ],
                },
              ],
            },
          ],
        }),
      )
      .finish();
    const response = await fetch(`${gateway.url}/v1/traces`, { method: 'POST', headers: { authorization: `Bearer ${developer.secret}`, 'content-type': 'application/x-protobuf' }, body });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-protobuf');
    const answer = otlpResponseType.toObject(otlpResponseType.decode(new Uint8Array(await response.arrayBuffer())), { longs: String });
    expect(answer).toEqual({ partial_success: { rejected_spans: '1', error_message: expect.stringContaining('hex ids') } });
    const trace = await traceWhen(clientTraceId, (found) => found.spans.some((span) => span.spanId === 'bbbbbbbbbbbbbbbb'));
    expect(trace.spans.find((span) => span.spanId === 'bbbbbbbbbbbbbbbb')).toMatchObject({ kind: 'tool', parentSpanId: clientSpanId, attributes: { 'service.name': 'py-agent', 'gen_ai.tool.name': 'lookup' } });

    const garbage = await fetch(`${gateway.url}/v1/traces`, { method: 'POST', headers: { authorization: `Bearer ${developer.secret}`, 'content-type': 'application/x-protobuf' }, body: Uint8Array.from([0x0a, 0x7f]) });
    expect(garbage.status).toBe(400);
  });

  it('takes scores on POST /admin/v1/scores, and keeps other workspaces out', async () => {
    const created = await call<{ id: string; value: number; dataType: string; source: string }>('POST', '/admin/v1/scores', { traceId: clientTraceId, name: 'helpfulness', value: 0.9, source: 'dashboard', comment: 'fine' }, developer.secret);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ value: 0.9, dataType: 'numeric', source: 'dashboard' });
    const mismatched = await call('POST', '/admin/v1/scores', { traceId: clientTraceId, name: 'x', value: 'yes', dataType: 'numeric' }, developer.secret);
    expect(mismatched.status).toBe(400);

    const outsider = await workspaceWithKey('tracing-outsider');
    expect((await call('GET', `/admin/v1/traces/${clientTraceId}`, undefined, outsider.secret)).status).toBe(404);
    expect((await call('POST', '/admin/v1/scores', { traceId: clientTraceId, name: 'x', value: 1 }, outsider.secret)).status).toBe(404);
    const outsiderList = await call<{ data: unknown[] }>('GET', '/admin/v1/traces', undefined, outsider.secret);
    expect(outsiderList.body.data).toEqual([]);
    // The master key sees everything, the score included.
    const trace = await traceWhen(clientTraceId, (found) => found.scores.some((score) => score.name === 'helpfulness'), testMasterKey);
    expect(trace.scores.find((score) => score.name === 'helpfulness')).toMatchObject({ value: 0.9 });
  });

  it('refuses ingestion without a valid key', async () => {
    const answer = await call('POST', '/v1/observations', { batch: [] }, 'sk-sy-wrong');
    expect(answer.status).toBe(401);
  });
});

describe('tracing by default', () => {
  it("traces every request of a gateway configured without tracing, and a score can name one of the request's stage spans", async () => {
    const plain = await startTestGateway({ providers: [{ name: 'openai', kind: 'openai', apiKey: 'sk-upstream', baseUrl: upstream.baseUrl }], ledger: { flushIntervalMs: 5 } });
    try {
      upstream.reset();
      upstream.enqueue({ kind: 'text', text: 'Hello by default', usage: { input: 5, output: 2 } });
      const response = await fetch(`${plain.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${testMasterKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], metadata: { session_id: 'default-session' } }),
      });
      expect(response.status).toBe(200);
      const requestId = response.headers.get('x-request-id')!;
      expect(String(upstream.requests[0].headers.traceparent)).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      await plain.running.settle();
      const read = async <T>(path: string): Promise<T> => {
        const answer = await fetch(`${plain.url}${path}`, { headers: { authorization: `Bearer ${testMasterKey}` } });
        expect(answer.status).toBe(200);
        return (await answer.json()) as T;
      };
      const list = await read<{ data: Array<{ traceId: string; requestIds: string[]; sessionId?: string; spanCount: number }> }>(`/admin/v1/traces?sessionId=default-session`);
      expect(list.data).toEqual([expect.objectContaining({ requestIds: [requestId], sessionId: 'default-session' })]);
      const trace = await read<Trace>(`/admin/v1/traces/${list.data[0].traceId}`);
      expect(list.data[0].spanCount).toBe(trace.spans.length);
      expect(trace.spans[0]).toMatchObject({ kind: 'request', requestId, sessionId: 'default-session', attributes: { 'gen_ai.conversation.id': 'default-session' } });
      expect(trace.spans.filter((span) => span.kind === 'stage').map((span) => span.name)).toContain('switchyard.route');
      expect(trace.spans.filter((span) => span.kind === 'attempt')).toHaveLength(1);
      for (const span of trace.spans) expect(Number.isInteger(span.startTime) && Number.isInteger(span.endTime)).toBe(true);
      const route = trace.spans.find((span) => span.name === 'switchyard.route')!;
      const scored = await fetch(`${plain.url}/admin/v1/scores`, {
        method: 'POST',
        headers: { authorization: `Bearer ${testMasterKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ traceId: trace.traceId, spanId: route.spanId, name: 'routing', value: 'fine' }),
      });
      expect(scored.status).toBe(201);
      const again = await read<Trace>(`/admin/v1/traces/${trace.traceId}`);
      expect(again.spans.map((span) => span.spanId)).toEqual(trace.spans.map((span) => span.spanId));
      expect(again.scores).toEqual([expect.objectContaining({ spanId: route.spanId, name: 'routing', value: 'fine' })]);
    } finally {
      await plain.stop();
    }
  });
});
