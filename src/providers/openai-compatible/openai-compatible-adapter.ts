import { OpenAIWireAdapter } from '../openai/openai-adapter.js';
import { genericOpenAICapabilities } from '../openai/openai-capabilities.js';
import { buildJsonHeaders, createBaseUrlEndpoint } from '../openai/openai-endpoint.js';
import type { OpenaiCompatibleSettings } from './openai-compatible-settings.js';

/**
 * An adapter for any server that speaks Chat Completions. The shared wire code already tolerates the
 * usual deviations (no usage, usage in the last content chunk, no `[DONE]`, `reasoning_content` deltas,
 * bare-string errors); what differs here is the request: `max_tokens`, the name every such server knows
 * (several reject `max_completion_tokens`), and `top_k`, which vLLM, llama.cpp and LM Studio take.
 */
export function createOpenaiCompatibleAdapter(name: string, settings: OpenaiCompatibleSettings): OpenAIWireAdapter {
  const auth: Record<string, string> = settings.apiKey === undefined ? {} : { authorization: `Bearer ${settings.apiKey}` };
  return new OpenAIWireAdapter(name, {
    kind: 'openai-compatible',
    endpoint: createBaseUrlEndpoint(settings.baseUrl, buildJsonHeaders(settings.headers, auth)),
    providerOptionsKey: 'openai-compatible',
    maxTokensField: 'max_tokens',
    acceptsTopK: true,
    capabilities: genericOpenAICapabilities,
  });
}
