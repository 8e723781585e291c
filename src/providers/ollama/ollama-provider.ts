import { isPrivateNetworkUrl } from '../../kit/private-network-url.js';
import type { ProviderDefinition } from '../provider-definition.js';
import { GatewayError } from '../../spec/index.js';
import { OllamaAdapter, createOllamaAdapter } from './ollama-adapter.js';
import { defaultOllamaHost, normaliseOllamaHost } from './ollama-host.js';
import { isUsableOllamaHost, ollamaSettingsSchema, type OllamaSettings } from './ollama-settings.js';

/**
 * The Ollama provider kind. Discovery follows the official client: `OLLAMA_HOST` if set, else a local
 * server answering on the default port. `OLLAMA_API_KEY` is used, as the client does, only for
 * https://ollama.com.
 */
export const ollamaProvider: ProviderDefinition<OllamaSettings> = {
  kind: 'ollama',
  description: "Ollama's native API (/api/chat, /api/embed, /api/tags), local or ollama.com",
  settingsSchema: ollamaSettingsSchema,
  async discover(context) {
    const configured = context.environment.OLLAMA_HOST;
    if (configured !== undefined && configured.trim() !== '' && isUsableOllamaHost(configured)) {
      const host = normaliseOllamaHost(configured);
      const url = new URL(host);
      const apiKey = context.environment.OLLAMA_API_KEY;
      const isOllamaCloud = url.protocol === 'https:' && url.hostname === 'ollama.com';
      return isOllamaCloud && apiKey ? { host, apiKey } : { host };
    }
    if (await context.probe(`${defaultOllamaHost}/api/version`)) return { host: defaultOllamaHost };
    return undefined;
  },
  create: (name, settings) => createOllamaAdapter(name, settings),
  selfHosted: (settings) => isPrivateNetworkUrl(settings.host),
  catalogProviders: ['ollama', 'ollama_chat'],
  environmentVariables: ['OLLAMA_HOST', 'OLLAMA_API_KEY'],
  pullModel(adapter, model, call) {
    if (!(adapter instanceof OllamaAdapter)) throw new GatewayError('internal_error', `${adapter.name} was not created by the ollama provider kind`);
    return adapter.pullModel(model, call);
  },
};

export type { OllamaSettings } from './ollama-settings.js';
export { ollamaSettingsSchema } from './ollama-settings.js';
