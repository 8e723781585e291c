import type { ProviderDefinition } from '../provider-definition.js';
import { AnthropicAdapter } from './anthropic-adapter.js';
import { anthropicSettingsSchema, type AnthropicSettings } from './anthropic-settings.js';

/** The Anthropic provider kind: the Messages API at api.anthropic.com or a compatible base URL. */
export const anthropicProvider: ProviderDefinition<AnthropicSettings> = {
  kind: 'anthropic',
  description: 'Anthropic Messages API (Claude models)',
  settingsSchema: anthropicSettingsSchema,
  async discover(context) {
    const apiKey = context.environment.ANTHROPIC_API_KEY;
    if (apiKey === undefined || apiKey.trim() === '') return undefined;
    const baseUrl = context.environment.ANTHROPIC_BASE_URL;
    return anthropicSettingsSchema.parse({ apiKey, ...(baseUrl !== undefined && baseUrl.trim() !== '' ? { baseUrl: baseUrl.trim() } : {}) });
  },
  create: (name, settings) => new AnthropicAdapter(name, settings),
  catalogProviders: ['anthropic'],
  environmentVariables: ['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL'],
};

export type { AnthropicSettings } from './anthropic-settings.js';
export { anthropicSettingsSchema } from './anthropic-settings.js';
