import type { ProviderDefinition } from '../provider-definition.js';
import { createOpenAIAdapter } from './openai-adapter.js';
import { openaiSettingsSchema, type OpenAISettings } from './openai-settings.js';

/** The OpenAI provider kind: Chat Completions, Embeddings and Models at api.openai.com or a base URL. */
export const openaiProvider: ProviderDefinition<OpenAISettings> = {
  kind: 'openai',
  description: 'OpenAI API (Chat Completions, Embeddings, Models)',
  settingsSchema: openaiSettingsSchema,
  async discover(context) {
    // The names the official SDK reads.
    const apiKey = context.environment.OPENAI_API_KEY?.trim();
    if (apiKey === undefined || apiKey === '') return undefined;
    const baseUrl = context.environment.OPENAI_BASE_URL?.trim();
    return openaiSettingsSchema.parse({ apiKey, ...(baseUrl ? { baseUrl } : {}) });
  },
  create: (name, settings) => createOpenAIAdapter(name, settings),
  catalogProviders: ['openai'],
  environmentVariables: ['OPENAI_API_KEY', 'OPENAI_BASE_URL'],
};

export type { OpenAISettings } from './openai-settings.js';
export { openaiSettingsSchema } from './openai-settings.js';
