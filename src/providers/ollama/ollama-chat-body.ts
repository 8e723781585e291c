import { GatewayError, type CallWarning, type ChatRequest } from '../../spec/index.js';
import { convertToOllamaMessages } from './convert-to-ollama-messages.js';

/** The provider-options key this adapter reads (`providerOptions.ollama`). */
export const ollamaProviderOptionsKey = 'ollama';

/**
 * `providerOptions.ollama` keys that are top-level fields of an Ollama request; every other key is a model
 * option (`num_ctx`, `min_p`, `repeat_penalty`, ...) and goes under `options`.
 */
const topLevelKeys = new Set(['think', 'keep_alive', 'format', 'logprobs', 'top_logprobs', 'tools', 'truncate']);

/** What the adapter sends to `/api/chat`, and what it could not honour. */
export interface OllamaChatBody {
  body: Record<string, unknown>;
  warnings: CallWarning[];
}

/** Settings that shape every request of one adapter instance. */
export interface OllamaRequestDefaults {
  keepAlive?: string;
}

/**
 * Builds the `/api/chat` body for a canonical request. Settings Ollama lacks (tool choice, several
 * choices, user ids) yield warnings or, when ignoring them would change the answer's shape, an
 * `unsupported_parameter` error.
 */
export function buildOllamaChatBody(request: ChatRequest, stream: boolean, defaults: OllamaRequestDefaults): OllamaChatBody {
  const warnings: CallWarning[] = [];
  if (request.n !== undefined && request.n > 1) {
    throw new GatewayError('unsupported_parameter', 'Ollama generates one choice per request; n > 1 is not supported', { param: 'n' });
  }
  const options: Record<string, unknown> = {};
  setIfDefined(options, 'temperature', request.temperature);
  setIfDefined(options, 'top_p', request.topP);
  setIfDefined(options, 'top_k', request.topK);
  setIfDefined(options, 'num_predict', request.maxOutputTokens);
  setIfDefined(options, 'stop', request.stopSequences);
  setIfDefined(options, 'seed', request.seed);
  setIfDefined(options, 'presence_penalty', request.presencePenalty);
  setIfDefined(options, 'frequency_penalty', request.frequencyPenalty);

  const body: Record<string, unknown> = { model: request.model, messages: convertToOllamaMessages(request.messages) };

  const toolChoice = request.toolChoice?.type;
  // `none` is honoured by not offering the tools at all; Ollama cannot force a call.
  if (request.tools !== undefined && request.tools.length > 0 && toolChoice !== 'none') {
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description !== undefined ? { description: tool.description } : {}),
        parameters: tool.parameters,
      },
    }));
  }
  if (toolChoice === 'required' || toolChoice === 'tool') {
    warnings.push({ type: 'unsupported-setting', setting: 'toolChoice', message: `Ollama cannot force a tool call; toolChoice "${toolChoice}" was treated as "auto"` });
  }
  if (request.parallelToolCalls === false) {
    warnings.push({ type: 'unsupported-setting', setting: 'parallelToolCalls', message: 'Ollama cannot limit the model to one tool call per turn' });
  }

  const format = request.responseFormat;
  if (format?.type === 'json') body.format = 'json';
  else if (format?.type === 'json-schema') body.format = format.schema;

  const think = thinkValue(request, warnings);
  if (think !== undefined) body.think = think;
  if (defaults.keepAlive !== undefined) body.keep_alive = defaults.keepAlive;

  if (request.user !== undefined) warnings.push({ type: 'unsupported-setting', setting: 'user', message: 'Ollama has no end-user field; user was not sent' });
  if (request.metadata !== undefined) warnings.push({ type: 'unsupported-setting', setting: 'metadata', message: 'Ollama has no metadata field; metadata was not sent' });
  for (const key of Object.keys(request.extraBody ?? {})) {
    warnings.push({ type: 'unsupported-setting', setting: key, message: `Ollama's native API has no "${key}" field; it was not sent` });
  }

  mergeProviderOptions(body, options, request.providerOptions?.[ollamaProviderOptionsKey]);
  if (Object.keys(options).length > 0) body.options = options;
  body.stream = stream;
  return { body, warnings };
}

/**
 * Ollama's `think` takes a boolean or a level (`low`/`medium`/`high`, for models such as gpt-oss; other
 * thinking models read any level as `true`). A token budget has no Ollama equivalent beyond switching
 * thinking on.
 */
function thinkValue(request: ChatRequest, warnings: CallWarning[]): boolean | string | undefined {
  const effort = request.reasoningEffort;
  if (request.reasoningBudgetTokens !== undefined) {
    warnings.push({ type: 'unsupported-setting', setting: 'reasoningBudgetTokens', message: 'Ollama has no reasoning token budget; thinking was switched on without a limit' });
  }
  if (effort === 'minimal') {
    warnings.push({ type: 'unsupported-setting', setting: 'reasoningEffort', message: 'Ollama has no "minimal" thinking level; "low" was used' });
    return 'low';
  }
  if (effort !== undefined) return effort;
  return request.reasoningBudgetTokens !== undefined ? true : undefined;
}

/** Provider options win over the canonical mapping: they are the client's explicit, Ollama-specific ask. */
export function mergeProviderOptions(body: Record<string, unknown>, options: Record<string, unknown>, providerOptions: Record<string, unknown> | undefined): void {
  for (const [key, value] of Object.entries(providerOptions ?? {})) {
    if (key === 'options' && value !== null && typeof value === 'object' && !Array.isArray(value)) Object.assign(options, value);
    else if (topLevelKeys.has(key)) body[key] = value;
    else options[key] = value;
  }
}

function setIfDefined(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}
