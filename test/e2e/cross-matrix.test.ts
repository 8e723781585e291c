import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startProviderFleet, type ProviderFleet } from '../support/provider-fleet.js';
import { startTestGateway, testMasterKey, type TestGateway } from '../support/test-gateway.js';

// Each front API (OpenAI Chat Completions, Anthropic Messages) x each provider kind, driven by the official
// SDKs, for text, tools and streams. The mocks speak each provider's exact wire format.

let fleet: ProviderFleet;
let gateway: TestGateway;
let canonicalGateway: TestGateway;
let openai: OpenAI;
let anthropic: Anthropic;
let clients: Record<'fast path' | 'canonical', OpenAI>;

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather of a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

beforeAll(async () => {
  fleet = await startProviderFleet();
  gateway = await startTestGateway({ providers: fleet.providers() });
  // The same suite through the converting path: OpenAI-shaped providers otherwise take the fast path.
  canonicalGateway = await startTestGateway({ providers: fleet.providers(), routing: { passthrough: false } });
  openai = new OpenAI({ apiKey: testMasterKey, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  clients = { 'fast path': openai, canonical: new OpenAI({ apiKey: testMasterKey, baseURL: `${canonicalGateway.url}/v1`, maxRetries: 0 }) };
  anthropic = new Anthropic({ apiKey: testMasterKey, baseURL: gateway.url, maxRetries: 0 });
});

afterAll(async () => {
  await gateway?.stop();
  await canonicalGateway?.stop();
  await fleet?.close();
});

beforeEach(() => fleet.reset());

const providerNames = ['openai', 'anthropic', 'gemini', 'ollama', 'azure', 'vllm'];

describe.each(providerNames.flatMap((name) => (['fast path', 'canonical'] as const).map((path) => [name, path] as const)))('OpenAI SDK -> %s (%s)', (name, path) => {
  const ledgerOf = () => (path === 'fast path' ? gateway : canonicalGateway);
  it('answers a chat with exact usage, recorded in the ledger', async () => {
    const member = fleet.byName(name);
    member.mock.enqueue({ kind: 'text', text: 'Hi there, matrix!', usage: { input: 11, output: 5 } });
    const response = await clients[path].chat.completions.create({ model: member.model, messages: [{ role: 'user', content: 'Say hi' }] }).withResponse();
    const completion = response.data;
    expect(completion.choices[0].message.content).toBe('Hi there, matrix!');
    expect(completion.choices[0].finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 5, total_tokens: 16 });
    expect(member.mock.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
    const row = await ledgerOf().ledgerRow(response.response.headers.get('x-request-id')!);
    expect(row).toMatchObject({ status: 'ok', servedProvider: name, inputTokens: 11, outputTokens: 5, usageSource: 'provider', dialect: 'openai-chat', stream: false });
  });

  it('streams text and ends with the usage chunk', async () => {
    const member = fleet.byName(name);
    member.mock.enqueue({ kind: 'text', chunks: ['Stream', 'ing ', 'works'], usage: { input: 9, output: 3 } });
    const stream = await clients[path].chat.completions.create({
      model: member.model,
      messages: [{ role: 'user', content: 'Stream please' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined | null;
    let finishReason: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Streaming works');
    expect(finishReason).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 3 });
    const [row] = await ledgerOf().ledgerRows(1);
    expect(row).toMatchObject({ status: 'ok', stream: true, servedProvider: name, inputTokens: 9, outputTokens: 3 });
    expect(row.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
  });

  it('returns tool calls, whole and streamed', async () => {
    const member = fleet.byName(name);
    member.mock.enqueue({ kind: 'tool-calls', calls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] });
    const completion = await clients[path].chat.completions.create({
      model: member.model,
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [{ type: 'function', function: weatherTool }],
    });
    const call = completion.choices[0].message.tool_calls?.[0];
    expect(call?.type).toBe('function');
    if (call?.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });
    expect(completion.choices[0].finish_reason).toBe('tool_calls');

    member.mock.enqueue({ kind: 'tool-calls', calls: [{ id: 'call_2', name: 'get_weather', arguments: { city: 'Oslo' } }] });
    const stream = await clients[path].chat.completions.create({
      model: member.model,
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      tools: [{ type: 'function', function: weatherTool }],
      stream: true,
    });
    const argumentsByIndex = new Map<number, string>();
    let toolName: string | undefined;
    let finishReason: string | null | undefined;
    for await (const chunk of stream) {
      for (const delta of chunk.choices[0]?.delta?.tool_calls ?? []) {
        argumentsByIndex.set(delta.index, (argumentsByIndex.get(delta.index) ?? '') + (delta.function?.arguments ?? ''));
        toolName ??= delta.function?.name;
      }
      finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
    }
    expect(toolName).toBe('get_weather');
    expect(JSON.parse(argumentsByIndex.get(0)!)).toEqual({ city: 'Oslo' });
    expect(finishReason).toBe('tool_calls');
  });
});

describe.each(providerNames)('Anthropic SDK -> %s', (name) => {
  it('answers a message with exact usage', async () => {
    const member = fleet.byName(name);
    member.mock.enqueue({ kind: 'text', text: 'Bonjour!', usage: { input: 14, output: 2 } });
    const message = await anthropic.messages.create({ model: member.model, max_tokens: 100, system: 'Be brief', messages: [{ role: 'user', content: 'Greet me' }] });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Bonjour!' });
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({ input_tokens: 14, output_tokens: 2 });
    expect(message.model).toBe(member.model);
    const [row] = await gateway.ledgerRows(1);
    expect(row).toMatchObject({ status: 'ok', servedProvider: name, dialect: 'anthropic-messages', inputTokens: 14, outputTokens: 2 });
  });

  it('streams a message (finalMessage merges usage)', async () => {
    const member = fleet.byName(name);
    member.mock.enqueue({ kind: 'text', chunks: ['One ', 'two ', 'three'], usage: { input: 7, output: 3 } });
    const stream = anthropic.messages.stream({ model: member.model, max_tokens: 100, messages: [{ role: 'user', content: 'Count' }] });
    const deltas: string[] = [];
    stream.on('text', (delta) => deltas.push(delta));
    const message = await stream.finalMessage();
    expect(deltas.join('')).toBe('One two three');
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'One two three' });
    expect(message.usage.output_tokens).toBe(3);
    expect(message.usage.input_tokens).toBe(7);
  });

  it('does a tool_use -> tool_result round trip', async () => {
    const member = fleet.byName(name);
    member.mock.enqueue({ kind: 'tool-calls', calls: [{ id: 'toolu_1', name: 'get_weather', arguments: { city: 'Rome' } }] });
    const tools = [{ name: weatherTool.name, description: weatherTool.description, input_schema: weatherTool.parameters as Anthropic.Tool.InputSchema }];
    const first = await anthropic.messages.create({ model: member.model, max_tokens: 100, tools, messages: [{ role: 'user', content: 'Weather in Rome?' }] });
    expect(first.stop_reason).toBe('tool_use');
    const toolUse = first.content.find((block) => block.type === 'tool_use');
    expect(toolUse).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'Rome' } });
    if (toolUse?.type !== 'tool_use') throw new Error('expected tool_use');

    member.mock.enqueue({ kind: 'text', text: 'It is sunny in Rome.' });
    const second = await anthropic.messages.create({
      model: member.model,
      max_tokens: 100,
      tools,
      messages: [
        { role: 'user', content: 'Weather in Rome?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: '22°C and sunny' }] },
      ],
    });
    expect(second.content[0]).toMatchObject({ type: 'text', text: 'It is sunny in Rome.' });
    // The tool result reached the provider in its own shape.
    const sent = JSON.stringify(member.mock.requests[member.mock.requests.length - 1].body);
    expect(sent).toContain('22°C and sunny');
  });
});
