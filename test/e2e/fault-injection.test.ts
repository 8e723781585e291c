import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicMock } from '../mock-providers/anthropic-mock.js';
import type { MockProvider } from '../mock-providers/mock-provider.js';
import { startOpenAIMock } from '../mock-providers/openai-mock.js';
import { startTestGateway, testMasterKey, type TestGateway } from '../support/test-gateway.js';

// Failures of providers: retries (honouring retry-after), fallbacks, timeouts, resets before and during a
// stream, circuit breakers. Every case asserts what the client saw and the ledger row with its attempts.

let primary: MockProvider;
let secondary: MockProvider;

beforeAll(async () => {
  [primary, secondary] = await Promise.all([startOpenAIMock(), startAnthropicMock()]);
});
afterAll(async () => {
  await Promise.all([primary?.close(), secondary?.close()]);
});

/** A gateway where `smart` is served by the primary (OpenAI wire) and falls back to `backup` (Anthropic wire). */
async function gatewayWith(routing: Record<string, unknown> = {}): Promise<{ gateway: TestGateway; client: OpenAI }> {
  primary.reset();
  secondary.reset();
  const gateway = await startTestGateway({
    providers: [
      { name: 'primary', kind: 'openai', apiKey: 'sk-upstream-primary', baseUrl: primary.baseUrl },
      { name: 'secondary', kind: 'anthropic', apiKey: 'sk-ant-upstream-secondary', baseUrl: secondary.baseUrl },
    ],
    models: [
      { name: 'smart', deployments: [{ provider: 'primary', model: 'gpt-4o-mini' }], fallbacks: ['backup'] },
      { name: 'backup', deployments: [{ provider: 'secondary', model: 'claude-haiku-4-5' }] },
    ],
    routing,
  });
  return { gateway, client: new OpenAI({ apiKey: testMasterKey, baseURL: `${gateway.url}/v1`, maxRetries: 0 }) };
}

function chatRequests(mock: MockProvider) {
  return mock.requests.filter((request) => request.method === 'POST');
}

describe('retries and fallbacks', () => {
  let gateway: TestGateway;
  let client: OpenAI;
  beforeAll(async () => ({ gateway, client } = await gatewayWith({ maxRetries: 2, breaker: { failureThreshold: 1000 } })));
  afterAll(() => gateway.stop());
  afterEach(() => {
    primary.reset();
    secondary.reset();
  });

  it('retries a 429 after the retry-after the provider asked for', async () => {
    primary.enqueue({ kind: 'error', status: 429, message: 'Rate limit reached', type: 'requests', headers: { 'retry-after-ms': '40' } }, { kind: 'text', text: 'after the wait' });
    const response = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(response.data.choices[0].message.content).toBe('after the wait');
    expect(chatRequests(primary)).toHaveLength(2);
    const row = await gateway.ledgerRow(response.response.headers.get('x-request-id')!);
    expect(row?.attempts.map((attempt) => [attempt.outcome, attempt.errorCode ?? null, attempt.upstreamStatus ?? null])).toEqual([
      ['error', 'upstream_rate_limited', 429],
      ['success', null, null],
    ]);
    expect(row?.attempts[0].durationMs).toBeGreaterThanOrEqual(0);
    expect(row).toMatchObject({ status: 'ok', servedProvider: 'primary' });
  });

  it.each([500, 503, 529])('falls back to another provider when the primary keeps answering %i', async (status) => {
    primary.enqueue(...Array.from({ length: 3 }, () => ({ kind: 'error' as const, status })));
    secondary.enqueue({ kind: 'text', text: 'served by the fallback' });
    const response = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(response.data.choices[0].message.content).toBe('served by the fallback');
    expect(chatRequests(primary)).toHaveLength(3);
    expect(chatRequests(secondary)).toHaveLength(1);
    const row = await gateway.ledgerRow(response.response.headers.get('x-request-id')!);
    expect(row?.servedProvider).toBe('secondary');
    expect(row?.attempts.map((attempt) => attempt.outcome)).toEqual(['error', 'error', 'error', 'success']);
    expect(row?.attempts.slice(0, 3).every((attempt) => attempt.upstreamStatus === status)).toBe(true);
  });

  it('does not retry a 400: the client gets it at once', async () => {
    primary.enqueue({ kind: 'error', status: 400, message: "Invalid value for 'temperature'", type: 'invalid_request_error' });
    const error = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).toContain("Invalid value for 'temperature'");
    expect(chatRequests(primary)).toHaveLength(1);
    expect(chatRequests(secondary)).toHaveLength(0);
    const [row] = await gateway.ledgerRows(1);
    expect(row).toMatchObject({ status: 'error', httpStatus: 400, errorCode: 'upstream_rejected' });
  });

  it('retries a connection reset before the response', async () => {
    primary.enqueue({ kind: 'reset-before-response' }, { kind: 'text', text: 'second try' });
    const completion = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0].message.content).toBe('second try');
    const [row] = await gateway.ledgerRows(1);
    expect(row.attempts[0]).toMatchObject({ outcome: 'error', errorCode: 'upstream_connection_error' });
  });

  it('retries a stream that fails before its first token, invisibly to the client', async () => {
    primary.enqueue({ kind: 'error-mid-stream', afterChunks: 0, message: 'overloaded' }, { kind: 'text', chunks: ['clean ', 'stream'] });
    const stream = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('clean stream');
    const [row] = await gateway.ledgerRows(1);
    expect(row.attempts).toHaveLength(2);
    expect(row.status).toBe('ok');
  });

  it('ends a stream that breaks after its first token with an error event, and keeps the partial usage', async () => {
    primary.enqueue({ kind: 'reset-mid-stream', afterChunks: 2 });
    const stream = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    const failure = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    })().catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(text.length).toBeGreaterThan(0);
    expect(chatRequests(secondary)).toHaveLength(0);
    const [row] = await gateway.ledgerRows(1);
    expect(row).toMatchObject({ status: 'error', errorCode: 'upstream_connection_error', stream: true, usageSource: 'estimate' });
    expect(row.outputTokens).toBeGreaterThan(0);
  });

  it('waits for a slow first token and records the time to first token', async () => {
    primary.enqueue({ kind: 'text', chunks: ['late'], firstChunkDelayMs: 150 });
    const stream = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('late');
    const [row] = await gateway.ledgerRows(1);
    expect(row.timeToFirstTokenMs).toBeGreaterThanOrEqual(140);
  });
});

describe('timeouts', () => {
  let gateway: TestGateway;
  let client: OpenAI;
  beforeAll(async () => ({ gateway, client } = await gatewayWith({ maxRetries: 0, timeouts: { firstTokenMs: 300, totalMs: 5_000 } })));
  afterAll(() => gateway.stop());

  it('gives up on a provider that never answers and falls back', async () => {
    primary.enqueue({ kind: 'hang' });
    secondary.enqueue({ kind: 'text', text: 'fallback after timeout' });
    const completion = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0].message.content).toBe('fallback after timeout');
    const [row] = await gateway.ledgerRows(1);
    expect(row.attempts[0]).toMatchObject({ outcome: 'error', errorCode: 'upstream_timeout' });
    expect(row.servedProvider).toBe('secondary');
  });

  it('answers 504 in the OpenAI shape when every provider times out', async () => {
    primary.enqueue({ kind: 'hang' });
    secondary.enqueue({ kind: 'hang' });
    const error = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(504);
    expect(apiError.requestID).toMatch(/\S+/);
    expect((apiError.error as { type?: string }).type).toBe('server_error');
  });
});

describe('circuit breaker', () => {
  let gateway: TestGateway;
  let client: OpenAI;
  beforeAll(async () => ({ gateway, client } = await gatewayWith({ maxRetries: 0, breaker: { failureThreshold: 2, cooldownMs: 60_000 } })));
  afterAll(() => gateway.stop());

  it('opens after consecutive failures and then skips the deployment', async () => {
    primary.enqueue({ kind: 'error', status: 500 }, { kind: 'error', status: 500 });
    secondary.enqueue({ kind: 'text', text: 'one' }, { kind: 'text', text: 'two' }, { kind: 'text', text: 'three' });
    for (const expected of ['one', 'two']) {
      const completion = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] });
      expect(completion.choices[0].message.content).toBe(expected);
    }
    expect(chatRequests(primary)).toHaveLength(2);
    const completion = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0].message.content).toBe('three');
    // The open breaker kept the third request away from the failing provider.
    expect(chatRequests(primary)).toHaveLength(2);
    const [row] = await gateway.ledgerRows(1);
    expect(row.attempts[0]).toMatchObject({ deploymentId: expect.stringContaining('primary'), outcome: 'skipped' });
  });
});
