import { isPrivateNetworkUrl } from '../../kit/private-network-url.js';
import type { ProviderDefinition } from '../provider-definition.js';
import { createOpenaiCompatibleAdapter } from './openai-compatible-adapter.js';
import { openaiCompatibleSettingsSchema, type OpenaiCompatibleSettings } from './openai-compatible-settings.js';

/** Any OpenAI-compatible server. It has no environment variables of its own, so it is never discovered. */
export const openaiCompatibleProvider: ProviderDefinition<OpenaiCompatibleSettings> = {
  kind: 'openai-compatible',
  description: 'Any OpenAI-compatible server (vLLM, llama.cpp, LM Studio, Groq, Mistral, DeepSeek, Together, OpenRouter)',
  settingsSchema: openaiCompatibleSettingsSchema,
  discover: async () => undefined,
  create: (name, settings) => createOpenaiCompatibleAdapter(name, settings),
  // vLLM, llama.cpp server or LM Studio on the organisation's own machines; Groq, Together & co. are hosted.
  selfHosted: (settings) => isPrivateNetworkUrl(settings.baseUrl),
  catalogProviders: [],
  environmentVariables: [],
};

export type { OpenaiCompatibleSettings } from './openai-compatible-settings.js';
export { openaiCompatibleSettingsSchema } from './openai-compatible-settings.js';
