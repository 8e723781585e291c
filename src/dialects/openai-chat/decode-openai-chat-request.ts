import { GatewayError } from '../../spec/index.js';
import type { CallWarning, ChatRequest, ResponseFormat, ToolChoice, ToolDefinition } from '../../spec/index.js';
import type { DecodedChatRequest } from '../dialect.js';
import { assertJsonObject, toInvalidRequestError } from '../../kit/validation-error.js';
import { convertOpenAIChatMessages } from './convert-openai-chat-messages.js';
import { mappedOpenAIChatFields, openAIChatRequestSchema, type OpenAIChatRequestBody } from './openai-chat-request-schema.js';

const canonicalEfforts = new Set(['minimal', 'low', 'medium', 'high']);
const emptyParameters = { type: 'object', properties: {} };

function convertTools(body: OpenAIChatRequestBody): ToolDefinition[] | undefined {
  const tools: ToolDefinition[] = [];
  body.tools?.forEach((tool, index) => {
    if (tool.type !== 'function' || tool.function === undefined) {
      throw new GatewayError('unsupported_parameter', `tools[${index}].type: only function tools are supported (got ${tool.type})`, {
        param: `tools[${index}].type`,
      });
    }
    tools.push(toToolDefinition(tool.function));
  });
  for (const definition of body.functions ?? []) tools.push(toToolDefinition(definition));
  return body.tools === undefined && body.functions === undefined ? undefined : tools;
}

function toToolDefinition(definition: NonNullable<OpenAIChatRequestBody['functions']>[number]): ToolDefinition {
  const tool: ToolDefinition = { name: definition.name, parameters: definition.parameters ?? emptyParameters };
  if (definition.description !== undefined) tool.description = definition.description;
  if (typeof definition.strict === 'boolean') tool.strict = definition.strict;
  return tool;
}

function convertToolChoice(body: OpenAIChatRequestBody): ToolChoice | undefined {
  const choice = body.tool_choice ?? body.function_call;
  if (choice === undefined) return undefined;
  if (typeof choice === 'string') return { type: choice };
  if ('function' in choice && choice.type === 'function') {
    const target = choice.function as { name: string };
    return { type: 'tool', name: target.name };
  }
  if (body.tool_choice === undefined && typeof choice.name === 'string') return { type: 'tool', name: choice.name };
  throw new GatewayError('unsupported_parameter', `tool_choice: type ${String(choice.type)} is not supported`, { param: 'tool_choice' });
}

function convertResponseFormat(format: OpenAIChatRequestBody['response_format']): ResponseFormat | undefined {
  if (format === undefined) return undefined;
  if (format.type === 'text') return { type: 'text' };
  if (format.type === 'json_object') return { type: 'json' };
  const schema = format.json_schema;
  const converted: ResponseFormat = { type: 'json-schema', name: schema.name, schema: schema.schema ?? {} };
  if (typeof schema.strict === 'boolean') converted.strict = schema.strict;
  if (schema.description !== undefined) converted.description = schema.description;
  return converted;
}

/**
 * Decodes an OpenAI Chat Completions body into the canonical model. Fields the canonical model has no slot
 * for (logprobs, logit_bias, service_tier, any unknown field...) travel unchanged in `request.extraBody`.
 */
export function decodeOpenAIChatRequest(body: unknown): DecodedChatRequest {
  assertJsonObject(body);
  const parsed = openAIChatRequestSchema.safeParse(body);
  if (!parsed.success) throw toInvalidRequestError(parsed.error);
  const value = parsed.data;
  const warnings: CallWarning[] = [];

  const request: ChatRequest = { model: value.model, messages: convertOpenAIChatMessages(value.messages) };
  const maxOutputTokens = value.max_completion_tokens ?? value.max_tokens;
  if (maxOutputTokens != null) request.maxOutputTokens = maxOutputTokens;
  if (value.temperature != null) request.temperature = value.temperature;
  if (value.top_p != null) request.topP = value.top_p;
  if (value.frequency_penalty != null) request.frequencyPenalty = value.frequency_penalty;
  if (value.presence_penalty != null) request.presencePenalty = value.presence_penalty;
  if (value.stop != null) request.stopSequences = typeof value.stop === 'string' ? [value.stop] : value.stop;
  if (value.seed != null) request.seed = value.seed;
  if (value.n != null) request.n = value.n;
  if (value.user !== undefined) request.user = value.user;
  if (value.metadata != null) request.metadata = value.metadata;
  const tools = convertTools(value);
  if (tools !== undefined) request.tools = tools;
  const toolChoice = convertToolChoice(value);
  if (toolChoice !== undefined) request.toolChoice = toolChoice;
  if (value.parallel_tool_calls !== undefined) request.parallelToolCalls = value.parallel_tool_calls;
  const responseFormat = convertResponseFormat(value.response_format);
  if (responseFormat !== undefined) request.responseFormat = responseFormat;

  const extraBody: Record<string, unknown> = {};
  if (value.reasoning_effort != null) {
    // Values the canonical model lacks (`none`, `xhigh`) still reach OpenAI-shaped upstreams unchanged.
    if (canonicalEfforts.has(value.reasoning_effort)) request.reasoningEffort = value.reasoning_effort as ChatRequest['reasoningEffort'];
    else extraBody.reasoning_effort = value.reasoning_effort;
  }
  for (const [key, field] of Object.entries(body)) {
    if (!mappedOpenAIChatFields.has(key)) extraBody[key] = field;
  }
  if (Object.keys(extraBody).length > 0) request.extraBody = extraBody;

  const streamOptions = value.stream_options ?? undefined;
  if (streamOptions) {
    const ignored = Object.keys(streamOptions).filter((key) => key !== 'include_usage');
    // The gateway owns the upstream stream options (it always asks for usage), so other keys cannot be honoured.
    for (const key of ignored) {
      warnings.push({ type: 'unsupported-setting', setting: `stream_options.${key}`, message: `stream_options.${key} is not supported and was ignored` });
    }
  }
  const stream = value.stream === true;
  return { model: value.model, stream, includeUsage: stream && streamOptions?.include_usage === true, request, warnings };
}
