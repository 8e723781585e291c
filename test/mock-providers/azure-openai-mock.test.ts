import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import OpenAI, { AzureOpenAI } from 'openai';
import { startAzureOpenAIMock } from './azure-openai-mock.js';
import type { MockProvider } from './mock-provider.js';
import { parseSse, postJson } from './wire-reader.js';

describe('Azure OpenAI mock against the openai SDK AzureOpenAI client', () => {
  let mock: MockProvider;
  let client: AzureOpenAI;
  beforeAll(async () => {
    mock = await startAzureOpenAIMock();
    client = new AzureOpenAI({ endpoint: mock.baseUrl, apiKey: 'azure-key', apiVersion: '2024-10-21', deployment: 'my-gpt', maxRetries: 0 });
  });
  afterAll(() => mock.close());
  beforeEach(() => mock.reset());

  it('chat via the deployments route with api-key and api-version', async () => {
    mock.enqueue({ kind: 'text', text: 'Hi from Azure' });
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0].message.content).toBe('Hi from Azure');
    const request = mock.requests[0];
    expect(request.path).toBe('/openai/deployments/my-gpt/chat/completions?api-version=2024-10-21');
    expect(request.headers['api-key']).toBe('azure-key');
    expect((completion as unknown as { prompt_filter_results: unknown[] }).prompt_filter_results).toHaveLength(1);
  });

  it('stream starts with the prompt_filter_results chunk and the SDK still assembles the text', async () => {
    mock.enqueue({ kind: 'text', chunks: ['x', 'y'] });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let first: unknown;
    let usage: unknown;
    for await (const chunk of stream) {
      first ??= chunk;
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('xy');
    expect(first).toMatchObject({ choices: [], prompt_filter_results: [{ prompt_index: 0 }] });
    expect(usage).toMatchObject({ completion_tokens: 2 });
  });

  it('embeddings via the deployments route (default base64 decoded by the SDK)', async () => {
    const response = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hello' });
    expect(response.data[0].embedding).toHaveLength(8);
    expect(mock.requests[0].path).toBe('/openai/deployments/my-gpt/embeddings?api-version=2024-10-21');
  });

  it('the v1 surface takes the deployment as model', async () => {
    const v1 = new OpenAI({ apiKey: 'azure-key', baseURL: `${mock.baseUrl}/openai/v1`, maxRetries: 0 });
    const completion = await v1.chat.completions.create({ model: 'my-gpt', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.model).toBe('my-gpt');
    expect(mock.requests[0].path).toBe('/openai/v1/chat/completions');
  });

  it('rejects a missing api-key with 401 and a 429 raises RateLimitError', async () => {
    const unauthorised = await postJson(`${mock.baseUrl}/openai/deployments/d/chat/completions?api-version=2024-10-21`, { messages: [] });
    expect(unauthorised.status).toBe(401);
    mock.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '1' } });
    const error = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
  });

  it('raw stream frames: preamble first, content_filter_results on choices, [DONE] last', async () => {
    const { text } = await postJson(`${mock.baseUrl}/openai/deployments/d/chat/completions?api-version=2024-10-21`, { messages: [], stream: true }, { 'api-key': 'k' });
    const frames = parseSse(text);
    expect(JSON.parse(frames[0].data).prompt_filter_results).toBeDefined();
    expect(JSON.parse(frames[2].data).choices[0].content_filter_results.hate.filtered).toBe(false);
    expect(frames.at(-1)?.data).toBe('[DONE]');
  });
});
