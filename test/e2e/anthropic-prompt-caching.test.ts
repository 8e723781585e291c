import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { computeCostMicros } from '../../src/observatory/cost.js';
import { ModelCatalog } from '../../src/registry/index.js';
import { startAnthropicMock } from '../mock-providers/anthropic-mock.js';
import { startGeminiMock } from '../mock-providers/gemini-mock.js';
import type { MockProvider, RecordedRequest } from '../mock-providers/mock-provider.js';
import { startOpenAIMock } from '../mock-providers/openai-mock.js';
import { startTestGateway, testMasterKey, type TestGateway } from '../support/test-gateway.js';

// Prompt caching end to end: an Anthropic SDK client's cache_control markers reach the Anthropic upstream on
// the same blocks, the cache figures come back to the client, and the ledger prices them at the cache prices.
// Both ways through the gateway: the default (which may forward an Anthropic body untouched when the dialect
// offers a fast path) and the converting path (canonical model -> Anthropic adapter), forced by config.

let anthropicUpstream: MockProvider;
let openaiUpstream: MockProvider;
let geminiUpstream: MockProvider;
const gateways: Partial<Record<'default path' | 'converting path', TestGateway>> = {};
let gateway: TestGateway;

beforeAll(async () => {
  [anthropicUpstream, openaiUpstream, geminiUpstream] = await Promise.all([startAnthropicMock(), startOpenAIMock(), startGeminiMock()]);
  const providers = [
    { name: 'anthropic', kind: 'anthropic', apiKey: 'sk-ant-upstream', baseUrl: anthropicUpstream.baseUrl },
    { name: 'openai', kind: 'openai', apiKey: 'sk-upstream-openai', baseUrl: openaiUpstream.baseUrl },
    { name: 'gemini', kind: 'gemini', apiKey: 'gemini-upstream-key', baseUrl: geminiUpstream.baseUrl },
  ];
  gateways['default path'] = await startTestGateway({ providers });
  gateways['converting path'] = await startTestGateway({ providers, routing: { passthrough: false } });
  gateway = gateways['default path'];
});

afterAll(async () => {
  await Promise.all(Object.values(gateways).map((running) => running.stop()));
  await Promise.all([anthropicUpstream, openaiUpstream, geminiUpstream].map((mock) => mock?.close()));
});

beforeEach(() => {
  for (const mock of [anthropicUpstream, openaiUpstream, geminiUpstream]) mock.reset();
});

const ephemeral = { type: 'ephemeral' as const };
const referenceDocument = 'The reference document. '.repeat(50);

function cachedRequest(model: string): Anthropic.MessageCreateParamsNonStreaming {
  return {
    model,
    max_tokens: 100,
    system: [
      { type: 'text', text: 'You are a librarian.' },
      { type: 'text', text: referenceDocument, cache_control: ephemeral },
    ],
    tools: [{ name: 'lookup', description: 'Finds a book', input_schema: { type: 'object', properties: { title: { type: 'string' } } }, cache_control: ephemeral }],
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Which chapter covers indexing?', cache_control: ephemeral }, { type: 'text', text: 'Be brief.' }] }],
  };
}

const cachedUsage = { input: 10, cacheRead: 100, cacheWrite: 50, output: 5 };

function postedBody(mock: MockProvider): Record<string, unknown> {
  const posts = mock.requests.filter((request: RecordedRequest) => request.method === 'POST');
  expect(posts).toHaveLength(1);
  return posts[0].body as Record<string, unknown>;
}

function expectMarkersInPlace(body: Record<string, unknown>): void {
  expect(body.system).toEqual([
    { type: 'text', text: 'You are a librarian.' },
    { type: 'text', text: referenceDocument, cache_control: ephemeral },
  ]);
  expect(body.messages).toEqual([
    { role: 'user', content: [{ type: 'text', text: 'Which chapter covers indexing?', cache_control: ephemeral }, { type: 'text', text: 'Be brief.' }] },
  ]);
  expect(body.tools).toEqual([
    { name: 'lookup', description: 'Finds a book', input_schema: { type: 'object', properties: { title: { type: 'string' } } }, cache_control: ephemeral },
  ]);
  // The gateway's internal carrier of the markers is not an Anthropic field.
  expect(body).not.toHaveProperty('cacheControl');
}

/** The price the bundled catalog gives claude-sonnet-4-5, applied to the mock's usage. */
function expectedCostMicros(): number {
  const price = ModelCatalog.bundled().priceOf('anthropic', 'claude-sonnet-4-5');
  expect(price).toMatchObject({ inputPerMillion: 3, outputPerMillion: 15, cacheReadPerMillion: 0.3, cacheWritePerMillion: 3.75 });
  const cost = computeCostMicros({ inputTokens: 10, cacheReadTokens: 100, cacheWriteTokens: 50, outputTokens: 5 }, price);
  // 10 x 3 + 100 x 0.3 + 50 x 3.75 + 5 x 15 = 322.5 micro-dollars, rounded once.
  expect(cost).toBe(323);
  return cost!;
}

const clientOf = (running: TestGateway) => new Anthropic({ apiKey: testMasterKey, baseURL: running.url, maxRetries: 0 });

describe.each(['default path', 'converting path'] as const)('Anthropic prompt caching through the gateway (%s)', (path) => {
  it('sends cache_control on the same system block, user block and tool, and accounts the cache tokens', async () => {
    anthropicUpstream.enqueue({ kind: 'text', text: 'Chapter 7.', usage: cachedUsage });
    const { data: message, response } = await clientOf(gateways[path]!).messages.create(cachedRequest('anthropic/claude-sonnet-4-5')).withResponse();

    expectMarkersInPlace(postedBody(anthropicUpstream));
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Chapter 7.' });
    expect(message.usage).toMatchObject({ input_tokens: 10, cache_read_input_tokens: 100, cache_creation_input_tokens: 50, output_tokens: 5 });
    expect(response.headers.get('x-switchyard-warnings')).toBeNull();

    const [row] = await gateways[path]!.ledgerRows(1);
    expect(row).toMatchObject({
      status: 'ok',
      servedProvider: 'anthropic',
      servedModel: 'claude-sonnet-4-5',
      inputTokens: 10,
      cacheReadTokens: 100,
      cacheWriteTokens: 50,
      outputTokens: 5,
      usageSource: 'provider',
      costMicros: expectedCostMicros(),
    });
  });

  it('does the same for a streamed message', async () => {
    anthropicUpstream.enqueue({ kind: 'text', chunks: ['Chapter', ' 7.'], usage: cachedUsage });
    const stream = clientOf(gateways[path]!).messages.stream(cachedRequest('anthropic/claude-sonnet-4-5'));
    const message = await stream.finalMessage();

    const body = postedBody(anthropicUpstream);
    expectMarkersInPlace(body);
    expect(body.stream).toBe(true);
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Chapter 7.' });
    expect(message.usage).toMatchObject({ input_tokens: 10, cache_read_input_tokens: 100, cache_creation_input_tokens: 50, output_tokens: 5 });

    const [row] = await gateways[path]!.ledgerRows(1);
    expect(row).toMatchObject({ stream: true, cacheReadTokens: 100, cacheWriteTokens: 50, inputTokens: 10, outputTokens: 5, costMicros: expectedCostMicros() });
  });
});

describe('prompt caching markers on the way to other providers', () => {
  it.each([
    ['openai', 'openai/gpt-4o-mini', () => openaiUpstream],
    ['gemini', 'gemini/gemini-2.5-flash', () => geminiUpstream],
  ] as const)('drops the markers silently on the way to %s (they are Anthropic-only)', async (_name, model, upstream) => {
    const message = await clientOf(gateway).messages.create(cachedRequest(model));
    expect(message.content[0]).toMatchObject({ type: 'text' });
    const sent = JSON.stringify(postedBody(upstream()));
    expect(sent).not.toContain('cache_control');
    expect(sent).not.toContain('cacheControl');
    expect(sent).not.toContain('ephemeral');
    expect(sent).toContain('Which chapter covers indexing?');
  });
});
