import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../kit/silent-logger.js';
import { systemClock } from '../../kit/system-clock.js';
import { GatewayError, type CallOptions, type ChatRequest, type UpstreamClient, type UpstreamRequest, type UpstreamResponse } from '../../spec/index.js';
import { ReplayUpstreamClient } from '../contract/replay-upstream-client.js';
import type { WireFixture } from '../contract/wire-fixture.js';
import { AnthropicAdapter } from './anthropic-adapter.js';
import { anthropicSettingsSchema } from './anthropic-settings.js';

const adapter = (settings: Record<string, unknown> = {}) => new AnthropicAdapter('anthropic', anthropicSettingsSchema.parse({ apiKey: 'sk-ant-test', ...settings }));
const callWith = (http: UpstreamClient): CallOptions => ({ signal: new AbortController().signal, http, clock: systemClock, logger: silentLogger });

function countFixture(status: number, body: unknown): WireFixture {
  return {
    name: 'count-tokens',
    description: 'count tokens',
    operation: 'chat',
    upstream: { request: { method: 'POST', url: 'https://api.anthropic.com/v1/messages/count_tokens' }, response: { status, body } },
    expected: {},
  };
}

const request: ChatRequest = {
  model: 'claude-sonnet-4-5',
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'Be kind.' }] },
    { role: 'user', content: [{ type: 'text', text: 'Hello' }] },
  ],
  maxOutputTokens: 100,
  temperature: 0.3,
  stopSequences: ['x'],
  user: 'u',
  tools: [{ name: 'f', parameters: { type: 'object' } }],
  toolChoice: { type: 'auto' },
  reasoningBudgetTokens: 1024,
};

/** A client that answers each request with the next canned JSON body. */
class SequenceClient implements UpstreamClient {
  readonly requests: UpstreamRequest[] = [];
  constructor(private readonly bodies: unknown[]) {}
  async request(upstreamRequest: UpstreamRequest): Promise<UpstreamResponse> {
    this.requests.push(upstreamRequest);
    const text = JSON.stringify(this.bodies[this.requests.length - 1]);
    return {
      status: 200,
      headers: {},
      body: {
        async *[Symbol.asyncIterator]() {
          yield new TextEncoder().encode(text);
        },
        text: async () => text,
        dump: async () => undefined,
      },
    };
  }
}

describe('AnthropicAdapter.countTokens', () => {
  it('posts only the fields count_tokens accepts and returns input_tokens', async () => {
    const client = new ReplayUpstreamClient(countFixture(200, { input_tokens: 2095 }));
    expect(await adapter().countTokens(request, callWith(client))).toBe(2095);
    expect(client.requests).toHaveLength(1);
    const sent = client.requests[0];
    expect(sent.url).toBe('https://api.anthropic.com/v1/messages/count_tokens');
    expect(sent.method).toBe('POST');
    expect(sent.headers['x-api-key']).toBe('sk-ant-test');
    expect(JSON.parse(sent.body ?? '')).toEqual({
      model: 'claude-sonnet-4-5',
      system: 'Be kind.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
      tools: [{ name: 'f', input_schema: { type: 'object' } }],
      tool_choice: { type: 'auto' },
      thinking: { type: 'enabled', budget_tokens: 1024 },
    });
  });

  it('maps an error status like any other call', async () => {
    const client = new ReplayUpstreamClient(countFixture(404, { type: 'error', error: { type: 'not_found_error', message: 'model: nope' } }));
    await expect(adapter().countTokens(request, callWith(client))).rejects.toMatchObject({ code: 'model_not_found', upstreamCode: 'not_found_error' });
  });

  it('rejects a body without input_tokens as upstream_bad_response', async () => {
    const client = new ReplayUpstreamClient(countFixture(200, { tokens: 5 }));
    const failure = await adapter().countTokens(request, callWith(client)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GatewayError);
    expect((failure as GatewayError).code).toBe('upstream_bad_response');
  });
});

describe('AnthropicAdapter.listModels', () => {
  it('follows the cursor while has_more is true', async () => {
    const client = new SequenceClient([
      { data: [{ type: 'model', id: 'a', display_name: 'A', created_at: '2025-01-01T00:00:00Z' }], has_more: true, first_id: 'a', last_id: 'a' },
      { data: [{ type: 'model', id: 'b', display_name: 'B', created_at: 'not a date' }], has_more: false, first_id: 'b', last_id: 'b' },
    ]);
    const models = await adapter({ baseUrl: 'http://127.0.0.1:9/' }).listModels(callWith(client));
    expect(models).toEqual([
      { id: 'a', ownedBy: 'anthropic', displayName: 'A', createdAt: 1735689600 },
      { id: 'b', ownedBy: 'anthropic', displayName: 'B' },
    ]);
    expect(client.requests.map((sent) => sent.url)).toEqual(['http://127.0.0.1:9/v1/models?limit=1000', 'http://127.0.0.1:9/v1/models?limit=1000&after_id=a']);
    expect(client.requests[0].body).toBeUndefined();
  });

  it('rejects a list that does not match the API', async () => {
    const client = new SequenceClient([{ models: [] }]);
    await expect(adapter().listModels(callWith(client))).rejects.toMatchObject({ code: 'upstream_bad_response' });
  });
});

describe('AnthropicAdapter headers and capabilities', () => {
  it('sends beta features as one comma list and custom headers, which cannot replace the credentials', async () => {
    const client = new SequenceClient([{ input_tokens: 1 }]);
    await adapter({ beta: ['a-2025-01-01', 'b-2025-02-02'], version: '2024-01-01', headers: { 'x-proxy': 'p', 'x-api-key': 'other' } }).countTokens(request, callWith(client));
    expect(client.requests[0].headers).toEqual({
      'x-proxy': 'p',
      'x-api-key': 'sk-ant-test',
      'content-type': 'application/json',
      'anthropic-version': '2024-01-01',
      'anthropic-beta': 'a-2025-01-01,b-2025-02-02',
    });
  });

  it('sends no anthropic-beta header without beta features', async () => {
    const client = new SequenceClient([{ input_tokens: 1 }]);
    await adapter({ beta: [] }).countTokens(request, callWith(client));
    expect(client.requests[0].headers).not.toHaveProperty('anthropic-beta');
  });

  it('describes models: no embeddings, reasoning only from Claude 3.7 on', () => {
    const anthropic = adapter();
    expect(anthropic.capabilities('claude-sonnet-4-5-20250929')).toEqual({ chat: true, embeddings: false, tools: true, images: true, jsonSchema: true, reasoning: true });
    expect(anthropic.capabilities('claude-3-7-sonnet-20250219').reasoning).toBe(true);
    expect(anthropic.capabilities('claude-3-5-haiku-20241022').reasoning).toBe(false);
    expect(anthropic.capabilities('claude-2.1')).toMatchObject({ images: false, tools: false, reasoning: false });
    expect(anthropic).not.toHaveProperty('doEmbed');
  });

  it('rejects n > 1 before sending anything', async () => {
    const client = new SequenceClient([]);
    await expect(adapter().doChat({ ...request, n: 3 }, callWith(client))).rejects.toMatchObject({ code: 'unsupported_parameter' });
    await expect(adapter().doChatStream({ ...request, n: 3 }, callWith(client))).rejects.toMatchObject({ code: 'unsupported_parameter' });
    expect(client.requests).toHaveLength(0);
  });
});

describe('AnthropicAdapter.passthrough', () => {
  it('forwards the body untouched to /v1/messages with the provider headers', async () => {
    const fixture: WireFixture = { ...countFixture(200, { id: 'msg_1' }), upstream: { request: { method: 'POST', url: '' }, response: { status: 200, body: { id: 'msg_1' } } } };
    const client = new ReplayUpstreamClient(fixture);
    const body = { model: 'claude-x', max_tokens: 5, messages: [], stream: true, cache_control: { type: 'ephemeral' } };
    const anthropic = adapter();
    expect(anthropic.passthrough.dialect).toBe('anthropic-messages');
    const response = await anthropic.passthrough.forward(body, callWith(client));
    expect(response.status).toBe(200);
    expect(client.requests[0].url).toBe('https://api.anthropic.com/v1/messages');
    expect(client.requests[0].headers['anthropic-version']).toBe('2023-06-01');
    expect(JSON.parse(client.requests[0].body ?? '')).toEqual(body);
  });

  it('returns an error status as-is, and readError maps it like doChat would', async () => {
    const errorBody = { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } };
    const client = new ReplayUpstreamClient({ ...countFixture(429, errorBody), upstream: { request: { method: 'POST', url: '' }, response: { status: 429, headers: { 'retry-after': '3' }, body: errorBody } } });
    const anthropic = adapter();
    const response = await anthropic.passthrough.forward({}, callWith(client));
    expect(response.status).toBe(429);
    const error = anthropic.passthrough.readError(response.status, response.headers, await response.body.text());
    expect(error).toMatchObject({ code: 'upstream_rate_limited', retryable: true, retryAfterSeconds: 3, upstreamCode: 'rate_limit_error', message: 'anthropic: slow down' });
    expect(anthropic.passthrough.readError(529, {}, '<html>').code).toBe('upstream_unavailable');
  });

  it('reads usage from a message, message_start and message_delta, and nothing from other events', () => {
    const { readUsage } = adapter().passthrough;
    expect(readUsage({ type: 'message', usage: { input_tokens: 3, cache_read_input_tokens: 4, output_tokens: 5 } })).toMatchObject({ inputTokens: 3, cacheReadTokens: 4, outputTokens: 5 });
    expect(readUsage({ type: 'message_start', message: { usage: { input_tokens: 3, output_tokens: 1 } } })).toMatchObject({ inputTokens: 3, outputTokens: 1 });
    const delta = readUsage({ type: 'message_delta', usage: { output_tokens: 9 } });
    expect(delta?.outputTokens).toBe(9);
    expect(delta?.inputTokens).toBeUndefined();
    expect(readUsage({ type: 'content_block_delta', index: 0 })).toBeUndefined();
    expect(readUsage({ type: 'message', usage: { input_tokens: 'many' } })).toBeUndefined();
  });
});
