import { OpenAIWireAdapter } from '../openai/openai-adapter.js';
import { openaiCapabilities } from '../openai/openai-capabilities.js';
import { createAzureOpenaiEndpoint } from './azure-openai-endpoint.js';
import type { AzureOpenaiSettings } from './azure-openai-settings.js';

/**
 * An Azure OpenAI adapter: OpenAI's wire code with Azure's URLs and `api-key` auth. Azure's extras
 * (prompt and completion filter results, filter-only stream chunks, `content_filter` errors and finish
 * reasons) are handled by the shared wire code and surface under `providerMetadata['azure-openai']`.
 */
export function createAzureOpenaiAdapter(name: string, settings: AzureOpenaiSettings): OpenAIWireAdapter {
  return new OpenAIWireAdapter(name, {
    kind: 'azure-openai',
    endpoint: createAzureOpenaiEndpoint(settings),
    providerOptionsKey: 'azure-openai',
    maxTokensField: 'max_completion_tokens',
    acceptsTopK: false,
    capabilities: openaiCapabilities,
  });
}
