import type { CallWarning, ChatRequest, ResponseFormat, ToolChoice } from '../../spec/index.js';
import { convertToOpenAIMessages } from './convert-to-openai-messages.js';

type JsonObject = Record<string, unknown>;

/** How one OpenAI-shaped upstream differs in the request body. */
export interface OpenAIChatBodyOptions {
  /** The key of `providerOptions` this adapter reads (its kind). */
  providerOptionsKey: string;
  /** OpenAI deprecated `max_tokens` for `max_completion_tokens`; many compatible servers know only the old name. */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
  /** Whether the upstream takes `top_k` (vLLM, llama.cpp and others do; OpenAI does not). */
  acceptsTopK: boolean;
}

/** Body fields the gateway owns: a client's extra field may not replace them. */
const ownedFields = new Set(['model', 'messages', 'stream', 'stream_options']);

function toolChoice(choice: ToolChoice): unknown {
  return choice.type === 'tool' ? { type: 'function', function: { name: choice.name } } : choice.type;
}

function responseFormat(format: ResponseFormat): JsonObject {
  if (format.type === 'text') return { type: 'text' };
  if (format.type === 'json') return { type: 'json_object' };
  const jsonSchema: JsonObject = { name: format.name, schema: format.schema };
  if (format.description !== undefined) jsonSchema.description = format.description;
  if (format.strict !== undefined) jsonSchema.strict = format.strict;
  return { type: 'json_schema', json_schema: jsonSchema };
}

/**
 * Builds a Chat Completions body from a canonical request. `extraBody` fields are passed on (each with a
 * `passed-through` warning) and `providerOptions[<kind>]` fields are merged last, so an operator's
 * provider option wins over a client's field. Streams always ask for usage so it is exact.
 */
export function buildOpenAIChatBody(
  request: ChatRequest,
  model: string,
  stream: boolean,
  options: OpenAIChatBodyOptions,
): { body: JsonObject; warnings: CallWarning[] } {
  const warnings: CallWarning[] = [];
  const body: JsonObject = { model, messages: convertToOpenAIMessages(request.messages, warnings) };
  if (request.maxOutputTokens !== undefined) body[options.maxTokensField] = request.maxOutputTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.topK !== undefined) {
    if (options.acceptsTopK) body.top_k = request.topK;
    else warnings.push({ type: 'unsupported-setting', setting: 'top_k', message: 'top_k is not supported by this provider and was ignored' });
  }
  if (request.frequencyPenalty !== undefined) body.frequency_penalty = request.frequencyPenalty;
  if (request.presencePenalty !== undefined) body.presence_penalty = request.presencePenalty;
  if (request.stopSequences !== undefined) body.stop = request.stopSequences;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.n !== undefined) body.n = request.n;
  if (request.tools !== undefined) {
    body.tools = request.tools.map((tool) => {
      const definition: JsonObject = { name: tool.name };
      if (tool.description !== undefined) definition.description = tool.description;
      definition.parameters = tool.parameters;
      if (tool.strict !== undefined) definition.strict = tool.strict;
      return { type: 'function', function: definition };
    });
  }
  if (request.toolChoice !== undefined) body.tool_choice = toolChoice(request.toolChoice);
  if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  if (request.responseFormat !== undefined) body.response_format = responseFormat(request.responseFormat);
  if (request.reasoningEffort !== undefined) body.reasoning_effort = request.reasoningEffort;
  if (request.reasoningBudgetTokens !== undefined) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'reasoning_budget_tokens',
      message: 'a reasoning budget in tokens is not supported by this provider (use reasoning_effort); it was ignored',
    });
  }
  if (request.user !== undefined) body.user = request.user;
  if (request.metadata !== undefined) body.metadata = request.metadata;
  for (const [key, value] of Object.entries(request.extraBody ?? {})) {
    if (ownedFields.has(key)) {
      warnings.push({ type: 'unsupported-setting', setting: key, message: `${key} is set by the gateway; the client's value was ignored` });
      continue;
    }
    body[key] = value;
    warnings.push({ type: 'passed-through', setting: key, message: `${key} was passed to the provider unchecked` });
  }
  for (const [key, value] of Object.entries(request.providerOptions?.[options.providerOptionsKey] ?? {})) {
    if (!ownedFields.has(key)) body[key] = value;
  }
  if (stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  return { body, warnings };
}
