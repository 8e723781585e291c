import type { CallOptions, ModelInfo } from '../../spec/index.js';
import { OpenAIWireAdapter } from '../openai/openai-adapter.js';
import { openaiCapabilities } from '../openai/openai-capabilities.js';
import { createAzureOpenaiEndpoint } from './azure-openai-endpoint.js';
import type { AzureOpenaiSettings } from './azure-openai-settings.js';

/**
 * An Azure OpenAI adapter: OpenAI's wire code with Azure's URLs and `api-key` auth. Azure's extras
 * (prompt and completion filter results, filter-only stream chunks, `content_filter` errors and finish
 * reasons) are handled by the shared wire code and surface under `providerMetadata['azure-openai']`.
 */
export class AzureOpenaiAdapter extends OpenAIWireAdapter {
  private readonly configuredModels: string[];

  constructor(name: string, settings: AzureOpenaiSettings) {
    super(name, {
      kind: 'azure-openai',
      endpoint: createAzureOpenaiEndpoint(settings),
      providerOptionsKey: 'azure-openai',
      maxTokensField: 'max_completion_tokens',
      acceptsTopK: false,
      capabilities: openaiCapabilities,
    });
    this.configuredModels = settings.surface === 'deployments' ? Object.keys(settings.deployments ?? {}) : [];
  }

  /**
   * On the deployments surface the models this resource serves are exactly its configured deployments
   * (Azure's `/openai/models` lists every model the resource could deploy, most of them not callable).
   */
  override async listModels(call: CallOptions): Promise<ModelInfo[]> {
    if (this.configuredModels.length > 0) return this.configuredModels.map((id) => ({ id, ownedBy: 'azure' }));
    return super.listModels(call);
  }
}

/** Builds an Azure OpenAI adapter. */
export function createAzureOpenaiAdapter(name: string, settings: AzureOpenaiSettings): AzureOpenaiAdapter {
  return new AzureOpenaiAdapter(name, settings);
}
