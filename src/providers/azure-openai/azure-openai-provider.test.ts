import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../kit/silent-logger.js';
import { systemClock } from '../../kit/system-clock.js';
import type { CallOptions, UpstreamRequest } from '../../spec/index.js';
import { createAzureOpenaiEndpoint } from './azure-openai-endpoint.js';
import { azureOpenaiProvider } from './azure-openai-provider.js';
import { azureOpenaiSettingsSchema } from './azure-openai-settings.js';

function recordingCall(requests: UpstreamRequest[]): CallOptions {
  const http = {
    async request(request: UpstreamRequest) {
      requests.push(request);
      return { status: 200, headers: {}, body: { async *[Symbol.asyncIterator]() {}, text: async () => '', dump: async () => undefined } };
    },
  };
  return { signal: new AbortController().signal, http, clock: systemClock, logger: silentLogger };
}

const base = { apiKey: 'azure-key', endpoint: 'https://contoso.openai.azure.com/', deployments: { 'gpt-4o': 'prod 4o' } };

describe('azureOpenaiProvider', () => {
  it('is discovered from AZURE_OPENAI_API_KEY and AZURE_OPENAI_ENDPOINT, with OPENAI_API_VERSION', async () => {
    const discover = (environment: Record<string, string>) => azureOpenaiProvider.discover({ environment, probe: async () => false });
    expect(await discover({ AZURE_OPENAI_API_KEY: 'k' })).toBeUndefined();
    expect(await discover({ AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com' })).toBeUndefined();
    expect(await discover({ AZURE_OPENAI_API_KEY: 'k', AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com' })).toEqual({
      apiKey: 'k',
      endpoint: 'https://x.openai.azure.com',
      apiVersion: '2024-10-21',
      surface: 'deployments',
    });
    expect(await discover({ AZURE_OPENAI_API_KEY: 'k', AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com', OPENAI_API_VERSION: '2025-01-01-preview' })).toMatchObject({
      apiVersion: '2025-01-01-preview',
    });
    expect(azureOpenaiProvider.catalogProviders).toEqual(['azure']);
  });

  it('has strict settings that need a key and an endpoint', () => {
    expect(azureOpenaiSettingsSchema.safeParse({ apiKey: 'k' }).success).toBe(false);
    expect(azureOpenaiSettingsSchema.safeParse({ ...base, surface: 'v2' }).success).toBe(false);
    expect(azureOpenaiSettingsSchema.safeParse({ ...base, extra: true }).success).toBe(false);
  });

  it('builds deployment URLs, falling back to the model name as the deployment', () => {
    const endpoint = createAzureOpenaiEndpoint(azureOpenaiSettingsSchema.parse(base));
    expect(endpoint.chatCompletionsUrl('gpt-4o')).toBe('https://contoso.openai.azure.com/openai/deployments/prod%204o/chat/completions?api-version=2024-10-21');
    expect(endpoint.embeddingsUrl('text-embedding-3-large')).toBe(
      'https://contoso.openai.azure.com/openai/deployments/text-embedding-3-large/embeddings?api-version=2024-10-21',
    );
    expect(endpoint.bodyModel('gpt-4o')).toBe('gpt-4o');
    expect(endpoint.headers).toEqual({ 'content-type': 'application/json', 'api-key': 'azure-key' });
  });

  it('sends the deployment as the model on the v1 surface, also on the fast path', async () => {
    const adapter = azureOpenaiProvider.create('azure', azureOpenaiSettingsSchema.parse({ ...base, surface: 'v1' }));
    const requests: UpstreamRequest[] = [];
    const body = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] };
    await adapter.passthrough!.forward(body, recordingCall(requests));
    expect(requests[0].url).toBe('https://contoso.openai.azure.com/openai/v1/chat/completions');
    expect(JSON.parse(requests[0].body ?? '')).toEqual({ ...body, model: 'prod 4o' });
    expect(body.model).toBe('gpt-4o');
  });

  it('forwards to the deployment URL on the deployments surface, body untouched', async () => {
    const adapter = azureOpenaiProvider.create('azure', azureOpenaiSettingsSchema.parse(base));
    const requests: UpstreamRequest[] = [];
    const body = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true };
    await adapter.passthrough!.forward(body, recordingCall(requests));
    expect(requests[0].url).toBe('https://contoso.openai.azure.com/openai/deployments/prod%204o/chat/completions?api-version=2024-10-21');
    expect(requests[0].headers['api-key']).toBe('azure-key');
    expect(JSON.parse(requests[0].body ?? '')).toEqual(body);
    expect(adapter.passthrough!.readError(400, {}, '{"error":{"message":"filtered","code":"content_filter","param":"prompt"}}').code).toBe('content_filtered');
  });
});

describe('AzureOpenaiAdapter.listModels', () => {
  it('lists the configured deployments without a request on the deployments surface', async () => {
    const adapter = azureOpenaiProvider.create('azure', azureOpenaiSettingsSchema.parse(base));
    const requests: UpstreamRequest[] = [];
    expect(await adapter.listModels!(recordingCall(requests))).toEqual([{ id: 'gpt-4o', ownedBy: 'azure' }]);
    expect(requests).toHaveLength(0);
  });
});
