import { GatewayError } from '../../spec/index.js';
import type { ChatRequest, ToolDefinition } from '../../spec/index.js';
import type { z } from 'zod';
import type { DecodedChatRequest } from '../dialect.js';
import { assertJsonObject, toInvalidRequestError } from '../../kit/validation-error.js';
import { AnthropicMessageConverter, type AnthropicCacheControlMarker } from './convert-anthropic-messages.js';
import {
  anthropicCountTokensRequestSchema,
  anthropicMessagesRequestSchema,
  mappedAnthropicFields,
  type AnthropicMessagesRequestBody,
} from './anthropic-messages-request-schema.js';

const canonicalEfforts = new Set(['low', 'medium', 'high']);

function convertTools(body: AnthropicMessagesRequestBody, cacheControl: AnthropicCacheControlMarker[]): ToolDefinition[] | undefined {
  return body.tools?.map((tool, index) => {
    if (tool.type !== undefined && tool.type !== 'custom') {
      // Server tools (web search, code execution...) run inside Anthropic; other providers cannot honour them.
      throw new GatewayError('unsupported_parameter', `tools[${index}].type: server tools (${tool.type}) are not supported by this gateway`, {
        param: `tools[${index}].type`,
      });
    }
    if (tool.input_schema === undefined) {
      throw new GatewayError('invalid_request', `tools[${index}].input_schema: required (expected object)`, { param: `tools[${index}].input_schema` });
    }
    if (tool.cache_control != null) cacheControl.push({ target: 'tool', toolIndex: index, cacheControl: tool.cache_control });
    const definition: ToolDefinition = { name: tool.name, parameters: tool.input_schema };
    if (tool.description !== undefined) definition.description = tool.description;
    if (tool.strict !== undefined) definition.strict = tool.strict;
    return definition;
  });
}

function applyToolChoice(body: AnthropicMessagesRequestBody, request: ChatRequest): void {
  const choice = body.tool_choice;
  if (choice === undefined) return;
  if (choice.type === 'auto') request.toolChoice = { type: 'auto' };
  else if (choice.type === 'any') request.toolChoice = { type: 'required' };
  else if (choice.type === 'none') request.toolChoice = { type: 'none' };
  else request.toolChoice = { type: 'tool', name: choice.name as string };
  if ('disable_parallel_tool_use' in choice && choice.disable_parallel_tool_use === true) request.parallelToolCalls = false;
}

function decode(body: unknown, schema: z.ZodType<AnthropicMessagesRequestBody>): DecodedChatRequest {
  assertJsonObject(body);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw toInvalidRequestError(parsed.error);
  const value = parsed.data;
  const converter = new AnthropicMessageConverter().convert(value);
  const request: ChatRequest = { model: value.model, messages: converter.messages };
  const cacheControl = converter.cacheControl;
  const extraBody: Record<string, unknown> = {};

  if (value.max_tokens !== undefined) request.maxOutputTokens = value.max_tokens;
  if (value.temperature !== undefined) request.temperature = value.temperature;
  if (value.top_p !== undefined) request.topP = value.top_p;
  if (value.top_k !== undefined) request.topK = value.top_k;
  if (value.stop_sequences !== undefined) request.stopSequences = value.stop_sequences;
  const tools = convertTools(value, cacheControl);
  if (tools !== undefined) request.tools = tools;
  applyToolChoice(value, request);
  if (typeof value.metadata?.user_id === 'string') request.user = value.metadata.user_id;
  if (value.thinking?.type === 'enabled') request.reasoningBudgetTokens = value.thinking.budget_tokens;
  else if (value.thinking?.type === 'adaptive') extraBody.thinking = value.thinking;

  const { format, effort, ...otherOutputConfig } = value.output_config ?? {};
  if (format) request.responseFormat = { type: 'json-schema', name: 'response', schema: format.schema };
  const unmappedOutputConfig: Record<string, unknown> = { ...otherOutputConfig };
  if (effort !== undefined) {
    if (canonicalEfforts.has(effort)) request.reasoningEffort = effort as ChatRequest['reasoningEffort'];
    else unmappedOutputConfig.effort = effort;
  }
  if (Object.keys(unmappedOutputConfig).length > 0) extraBody.output_config = unmappedOutputConfig;

  for (const [key, field] of Object.entries(body)) {
    if (!mappedAnthropicFields.has(key)) extraBody[key] = field;
  }
  if (Object.keys(extraBody).length > 0) request.extraBody = extraBody;
  if (cacheControl.length > 0) request.providerOptions = { anthropic: { cacheControl } };

  const stream = value.stream === true;
  // Anthropic streams always report usage (message_start and message_delta).
  return { model: value.model, stream, includeUsage: stream, request, warnings: [] };
}

/**
 * Decodes an Anthropic Messages body into the canonical model. A user turn mixing `tool_result` and other
 * blocks becomes a tool message followed by a user message. `cache_control` markers travel in
 * `providerOptions.anthropic.cacheControl` (see {@link AnthropicCacheControlMarker}); unknown top-level fields
 * (`service_tier`, `container`, top-level `cache_control`, ...) go to `extraBody` unchanged.
 */
export function decodeAnthropicMessagesRequest(body: unknown): DecodedChatRequest {
  return decode(body, anthropicMessagesRequestSchema);
}

/** Decodes a `POST /v1/messages/count_tokens` body (`max_tokens` optional). */
export function decodeAnthropicCountTokensRequest(body: unknown): DecodedChatRequest {
  return decode(body, anthropicCountTokensRequestSchema);
}

/** The `count_tokens` response body. */
export function encodeAnthropicCountTokens(inputTokens: number): Record<string, unknown> {
  return { input_tokens: inputTokens };
}
