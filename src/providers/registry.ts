import type { ProviderDefinition } from './provider-definition.js';
import { anthropicProvider } from './anthropic/anthropic-provider.js';
import { azureOpenaiProvider } from './azure-openai/azure-openai-provider.js';
import { geminiProvider } from './gemini/gemini-provider.js';
import { ollamaProvider } from './ollama/ollama-provider.js';
import { openaiCompatibleProvider } from './openai-compatible/openai-compatible-provider.js';
import { openaiProvider } from './openai/openai-provider.js';

/**
 * The only list of provider kinds. The order is the order in which a bare model name (`gpt-4o-mini`) is
 * offered to the configured providers that the catalog says serve it.
 */
export const providerDefinitions: ReadonlyArray<ProviderDefinition> = [
  openaiProvider,
  anthropicProvider,
  geminiProvider,
  azureOpenaiProvider,
  ollamaProvider,
  openaiCompatibleProvider,
] as ReadonlyArray<ProviderDefinition>;
