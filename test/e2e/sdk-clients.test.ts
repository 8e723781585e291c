import { createOpenAI } from '@ai-sdk/openai';
import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { embed, generateObject, generateText, jsonSchema, streamText, tool } from 'ai';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { MockProvider } from '../mock-providers/mock-provider.js';
import { startOpenAIMock } from '../mock-providers/openai-mock.js';
import { startTestGateway, testMasterKey, type TestGateway } from '../support/test-gateway.js';

// The official clients, unchanged, against the real gateway: openai, the AI SDK (openai.chat), LangChain.

let upstream: MockProvider;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startOpenAIMock();
  gateway = await startTestGateway({
    providers: [{ name: 'openai', kind: 'openai', apiKey: 'sk-upstream', baseUrl: upstream.baseUrl }],
    models: [{ name: 'team-default', deployments: [{ provider: 'openai', model: 'gpt-4o-mini' }] }],
  });
});
afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});
beforeEach(() => upstream.reset());

describe('openai SDK', () => {
  const client = () => new OpenAI({ apiKey: testMasterKey, baseURL: `${gateway.url}/v1`, maxRetries: 0 });

  it('passes response_format json_schema through and returns the JSON', async () => {
    upstream.enqueue({ kind: 'text', text: '{"name":"Ada","age":36}' });
    const completion = await client().chat.completions.create({
      model: 'team-default',
      messages: [{ role: 'user', content: 'A person' }],
      response_format: { type: 'json_schema', json_schema: { name: 'person', strict: true, schema: { type: 'object', properties: { name: { type: 'string' }, age: { type: 'number' } }, required: ['name', 'age'], additionalProperties: false } } },
      seed: 7,
      user: 'user-42',
      n: 1,
      stop: ['END'],
    });
    expect(JSON.parse(completion.choices[0].message.content!)).toEqual({ name: 'Ada', age: 36 });
    const sent = upstream.requests.find((request) => request.method === 'POST')!.body as Record<string, any>;
    expect(sent.model).toBe('gpt-4o-mini');
    expect(sent.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'person', strict: true } });
    expect(sent).toMatchObject({ seed: 7, user: 'user-42', stop: ['END'] });
  });

  it('passes image content parts on', async () => {
    await client().chat.completions.create({
      model: 'team-default',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } }] }],
    });
    const sent = JSON.stringify(upstream.requests.find((request) => request.method === 'POST')!.body);
    expect(sent).toContain('data:image/png;base64,iVBORw0KGgo=');
  });

  it('creates embeddings in base64 (the SDK default) and float, with the same values', async () => {
    const viaBase64 = await client().embeddings.create({ model: 'openai/text-embedding-3-small', input: ['alpha', 'beta'] });
    const viaFloat = await client().embeddings.create({ model: 'openai/text-embedding-3-small', input: ['alpha', 'beta'], encoding_format: 'float' });
    expect(viaBase64.data).toHaveLength(2);
    expect(viaBase64.data[0].embedding.length).toBeGreaterThan(0);
    expect(viaBase64.data[1].embedding).toEqual(viaFloat.data[1].embedding.map((value) => Math.fround(value)));
  });

  it('lists models and retrieves one, including names with a slash', async () => {
    const models = [];
    for await (const model of client().models.list()) models.push(model.id);
    expect(models).toContain('team-default');
    expect(models.some((id) => id.startsWith('openai/'))).toBe(true);
    const one = await client().models.retrieve('team-default');
    expect(one.id).toBe('team-default');
  });
});

describe('AI SDK (openai.chat)', () => {
  const provider = () => createOpenAI({ apiKey: testMasterKey, baseURL: `${gateway.url}/v1` });

  it('generateText returns text and normalised usage', async () => {
    upstream.enqueue({ kind: 'text', text: 'From the AI SDK', usage: { input: 12, output: 4, cacheRead: 3 } });
    const result = await generateText({ model: provider().chat('team-default'), prompt: 'Hello', maxRetries: 0 });
    expect(result.text).toBe('From the AI SDK');
    expect(result.usage.inputTokens).toBe(15);
    expect(result.usage.outputTokens).toBe(4);
    expect(result.usage.inputTokenDetails?.cacheReadTokens).toBe(3);
  });

  it('streamText streams and reports usage', async () => {
    upstream.enqueue({ kind: 'text', chunks: ['a', 'b', 'c'], usage: { input: 5, output: 3 } });
    const result = streamText({ model: provider().chat('team-default'), prompt: 'Letters', maxRetries: 0 });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe('abc');
    expect((await result.usage).outputTokens).toBe(3);
  });

  it('generateObject gets schema-checked JSON', async () => {
    upstream.enqueue({ kind: 'text', text: '{"city":"Lima","temperature":19}' });
    const result = await generateObject({
      model: provider().chat('team-default'),
      schema: z.object({ city: z.string(), temperature: z.number() }),
      prompt: 'Weather',
      maxRetries: 0,
    });
    expect(result.object).toEqual({ city: 'Lima', temperature: 19 });
  });

  it('calls tools', async () => {
    upstream.enqueue({ kind: 'tool-calls', calls: [{ id: 'call_9', name: 'add', arguments: { a: 2, b: 3 } }] });
    const result = await generateText({
      model: provider().chat('team-default'),
      prompt: 'Add 2 and 3',
      tools: { add: tool({ description: 'Adds', inputSchema: jsonSchema<{ a: number; b: number }>({ type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] }), execute: async ({ a, b }) => a + b }) },
      maxRetries: 0,
    });
    expect(result.toolCalls[0]).toMatchObject({ toolName: 'add', input: { a: 2, b: 3 } });
    expect(result.toolResults[0]).toMatchObject({ output: 5 });
  });

  it('embeds', async () => {
    const result = await embed({ model: provider().embedding('openai/text-embedding-3-small'), value: 'hello', maxRetries: 0 });
    expect(result.embedding.length).toBeGreaterThan(0);
  });

  it('surfaces gateway errors as APICallError with the status', async () => {
    const error = await generateText({ model: provider().chat('missing-model'), prompt: 'x', maxRetries: 0 }).catch((caught: unknown) => caught);
    expect((error as { statusCode?: number }).statusCode).toBe(404);
  });
});

describe('LangChain ChatOpenAI', () => {
  const chat = () => new ChatOpenAI({ model: 'team-default', apiKey: testMasterKey, configuration: { baseURL: `${gateway.url}/v1` }, maxRetries: 0 });

  it('invokes', async () => {
    upstream.enqueue({ kind: 'text', text: 'From LangChain', usage: { input: 6, output: 2 } });
    const message = await chat().invoke('Hi');
    expect(message.content).toBe('From LangChain');
    expect(message.usage_metadata).toMatchObject({ input_tokens: 6, output_tokens: 2 });
  });

  it('streams with usage metadata', async () => {
    upstream.enqueue({ kind: 'text', chunks: ['x', 'y'], usage: { input: 4, output: 2 } });
    let text = '';
    let outputTokens: number | undefined;
    for await (const chunk of await chat().stream('Hi')) {
      text += chunk.content;
      if (chunk.usage_metadata) outputTokens = chunk.usage_metadata.output_tokens;
    }
    expect(text).toBe('xy');
    expect(outputTokens).toBe(2);
  });

  it('binds tools', async () => {
    upstream.enqueue({ kind: 'tool-calls', calls: [{ id: 'call_1', name: 'lookup', arguments: { term: 'switchyard' } }] });
    const message = await chat()
      .bindTools([{ type: 'function', function: { name: 'lookup', description: 'Looks up', parameters: { type: 'object', properties: { term: { type: 'string' } } } } }])
      .invoke('Look it up');
    expect(message.tool_calls?.[0]).toMatchObject({ name: 'lookup', args: { term: 'switchyard' } });
  });

  it('produces structured output', async () => {
    upstream.enqueue({ kind: 'text', text: '{"answer":"yes"}' });
    const structured = chat().withStructuredOutput(z.object({ answer: z.string() }));
    expect(await structured.invoke('Question?')).toEqual({ answer: 'yes' });
  });

  it('embeds documents', async () => {
    const embeddings = new OpenAIEmbeddings({ model: 'openai/text-embedding-3-small', apiKey: testMasterKey, configuration: { baseURL: `${gateway.url}/v1` }, maxRetries: 0 });
    const vectors = await embeddings.embedDocuments(['one', 'two']);
    expect(vectors).toHaveLength(2);
    expect(vectors[0].length).toBeGreaterThan(0);
  });
});
