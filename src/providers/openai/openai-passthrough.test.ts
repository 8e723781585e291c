import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../kit/silent-logger.js';
import { systemClock } from '../../kit/system-clock.js';
import type { CallOptions, UpstreamClient, UpstreamRequest } from '../../spec/index.js';
import { createOpenAIAdapter } from './openai-adapter.js';
import { openaiSettingsSchema } from './openai-settings.js';

/** Records requests and answers 200 with an empty body. */
function recordingClient(): UpstreamClient & { requests: UpstreamRequest[] } {
  const requests: UpstreamRequest[] = [];
  return {
    requests,
    async request(request) {
      requests.push(request);
      return { status: 200, headers: {}, body: { async *[Symbol.asyncIterator]() {}, text: async () => '', dump: async () => undefined } };
    },
  };
}

function callWith(http: UpstreamClient): CallOptions {
  return { signal: new AbortController().signal, http, clock: systemClock, logger: silentLogger };
}

const adapter = createOpenAIAdapter(
  'openai',
  openaiSettingsSchema.parse({ apiKey: 'sk-test', baseUrl: 'https://proxy.example/v1/', organization: 'org-1', project: 'proj-1', headers: { 'x-team': 'red', authorization: 'ignored' } }),
);

describe('OpenAI passthrough', () => {
  it('speaks the openai-chat dialect', () => {
    expect(adapter.passthrough.dialect).toBe('openai-chat');
  });

  it('forwards the body as-is with the auth headers built at construction', async () => {
    const client = recordingClient();
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true, logprobs: true };
    const response = await adapter.passthrough.forward(body, callWith(client));
    expect(response.status).toBe(200);
    expect(client.requests).toHaveLength(1);
    const sent = client.requests[0];
    expect(sent.url).toBe('https://proxy.example/v1/chat/completions');
    expect(sent.method).toBe('POST');
    expect(JSON.parse(sent.body ?? '')).toEqual(body);
    expect(sent.headers).toEqual({
      'x-team': 'red',
      'content-type': 'application/json',
      authorization: 'Bearer sk-test',
      'openai-organization': 'org-1',
      'openai-project': 'proj-1',
    });
  });

  it('reads usage from a response or a chunk, and nothing from a chunk without it', () => {
    expect(adapter.passthrough.readUsage({ usage: { prompt_tokens: 10, completion_tokens: 4, prompt_tokens_details: { cached_tokens: 6 } } })).toMatchObject({
      inputTokens: 4,
      cacheReadTokens: 6,
      outputTokens: 4,
    });
    expect(adapter.passthrough.readUsage({ choices: [], usage: null })).toBeUndefined();
    expect(adapter.passthrough.readUsage({ choices: [] })).toBeUndefined();
  });

  it('turns an error answer into the GatewayError doChat would throw', () => {
    const error = adapter.passthrough.readError(429, { 'retry-after': '3' }, '{"error":{"message":"slow down","type":"requests","param":null,"code":"rate_limit_exceeded"}}');
    expect(error).toMatchObject({ code: 'upstream_rate_limited', retryable: true, retryAfterSeconds: 3, upstreamCode: 'rate_limit_exceeded' });
  });
});
