import type { ProviderDefinition } from '../provider-definition.js';
import { createAzureOpenaiAdapter } from './azure-openai-adapter.js';
import { azureOpenaiSettingsSchema, type AzureOpenaiSettings } from './azure-openai-settings.js';

/** The Azure OpenAI provider kind (deployments or v1 surface). */
export const azureOpenaiProvider: ProviderDefinition<AzureOpenaiSettings> = {
  kind: 'azure-openai',
  description: 'Azure OpenAI (deployments or /openai/v1 surface)',
  settingsSchema: azureOpenaiSettingsSchema,
  async discover(context) {
    // The names the official openai SDK's AzureOpenAI client reads.
    const apiKey = context.environment.AZURE_OPENAI_API_KEY?.trim();
    const endpoint = context.environment.AZURE_OPENAI_ENDPOINT?.trim();
    if (!apiKey || !endpoint) return undefined;
    const apiVersion = context.environment.OPENAI_API_VERSION?.trim();
    return azureOpenaiSettingsSchema.parse({ apiKey, endpoint, ...(apiVersion ? { apiVersion } : {}) });
  },
  create: (name, settings) => createAzureOpenaiAdapter(name, settings),
  catalogProviders: ['azure'],
  environmentVariables: ['AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_ENDPOINT', 'OPENAI_API_VERSION'],
};

export type { AzureOpenaiSettings } from './azure-openai-settings.js';
export { azureOpenaiSettingsSchema } from './azure-openai-settings.js';
