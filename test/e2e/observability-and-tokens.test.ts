import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicMock } from '../mock-providers/anthropic-mock.js';
import type { MockProvider } from '../mock-providers/mock-provider.js';
import { startOpenAIMock } from '../mock-providers/openai-mock.js';
import { startTestGateway, testMasterKey, type TestGateway } from '../support/test-gateway.js';

// Token counting through the Anthropic front API, Prometheus metrics after real traffic, and a stream that
// breaks mid-way in the Anthropic dialect.

let openaiUpstream: MockProvider;
let anthropicUpstream: MockProvider;
let gateway: TestGateway;
let anthropic: Anthropic;

beforeAll(async () => {
  [openaiUpstream, anthropicUpstream] = await Promise.all([startOpenAIMock(), startAnthropicMock()]);
  gateway = await startTestGateway({
    providers: [
      { name: 'openai', kind: 'openai', apiKey: 'sk-upstream', baseUrl: openaiUpstream.baseUrl },
      { name: 'anthropic', kind: 'anthropic', apiKey: 'sk-ant-upstream', baseUrl: anthropicUpstream.baseUrl },
    ],
    routing: { maxRetries: 0 },
  });
  anthropic = new Anthropic({ apiKey: testMasterKey, baseURL: gateway.url, maxRetries: 0 });
});
afterAll(async () => {
  await gateway?.stop();
  await Promise.all([openaiUpstream?.close(), anthropicUpstream?.close()]);
});

describe('count_tokens', () => {
  it("uses the provider's own counter when it has one", async () => {
    const counted = await anthropic.messages.countTokens({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'How many tokens is this?' }] });
    expect(counted.input_tokens).toBeGreaterThan(0);
    expect(anthropicUpstream.requests.some((request) => request.path.startsWith('/v1/messages/count_tokens'))).toBe(true);
  });

  it('estimates with the tokenizer for a provider without one', async () => {
    const short = await anthropic.messages.countTokens({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
    const long = await anthropic.messages.countTokens({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi '.repeat(200) }] });
    expect(short.input_tokens).toBeGreaterThan(0);
    expect(long.input_tokens).toBeGreaterThan(short.input_tokens + 100);
    expect(openaiUpstream.requests.filter((request) => request.method === 'POST')).toHaveLength(0);
  });
});

describe('Anthropic stream that breaks after its first token', () => {
  it('ends with an error event the SDK turns into an APIError', async () => {
    anthropicUpstream.enqueue({ kind: 'reset-mid-stream', afterChunks: 2 });
    const stream = anthropic.messages.stream({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'Go' }] });
    const error = await stream.finalMessage().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    const [row] = await gateway.ledgerRows(1);
    expect(row).toMatchObject({ status: 'error', errorCode: 'upstream_connection_error', dialect: 'anthropic-messages', stream: true });
  });
});

describe('/metrics', () => {
  it('exposes GenAI metrics and the gateway overhead after real traffic', async () => {
    openaiUpstream.enqueue({ kind: 'text', text: 'counted', usage: { input: 21, output: 4 } });
    const client = new OpenAI({ apiKey: testMasterKey, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    await gateway.ledgerRows(1);
    const response = await fetch(`${gateway.url}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(/gen_ai_client_token_usage_sum\{[^}]*gen_ai_provider_name="openai"[^}]*gen_ai_token_type="input"[^}]*\} 21/);
    expect(text).toContain('gen_ai_client_operation_duration_seconds_bucket');
    expect(text).toContain('switchyard_gateway_overhead_seconds_bucket');
    expect(text).toMatch(/switchyard_requests_total\{dialect="openai-chat",[^}]*status="ok"[^}]*\} \d+/);
  });
});

describe('metrics.enabled: false', () => {
  it('serves requests and records them in the ledger, but counts nothing and has no /metrics', async () => {
    const quiet = await startTestGateway({ providers: [{ name: 'openai', kind: 'openai', apiKey: 'sk-upstream', baseUrl: openaiUpstream.baseUrl }], metrics: { enabled: false } });
    try {
      openaiUpstream.enqueue({ kind: 'text', text: 'uncounted', usage: { input: 5, output: 2 } });
      const client = new OpenAI({ apiKey: testMasterKey, baseURL: `${quiet.url}/v1`, maxRetries: 0 });
      const completion = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
      expect(completion.choices[0].message.content).toBe('uncounted');
      const [row] = await quiet.ledgerRows(1);
      expect(row).toMatchObject({ status: 'ok', inputTokens: 5, outputTokens: 2 });
      const response = await fetch(`${quiet.url}/metrics`);
      expect(response.status).toBe(404);
      await response.body?.cancel();
    } finally {
      await quiet.stop();
    }
  });
});
