import { GatewayError, type CallWarning, type ChatRequest, type ToolChoice } from '../../spec/index.js';
import { CacheControlPlacement, cacheControlOptionKey, readCacheControlMarkers } from './anthropic-cache-control.js';
import { convertToAnthropicMessages, type AnthropicPrompt } from './convert-to-anthropic-messages.js';

/** The request body for `POST /v1/messages`, and what could not be honoured. */
export interface AnthropicRequestBody {
  body: Record<string, unknown>;
  warnings: CallWarning[];
}

/** What the body builder needs from the settings. */
export interface AnthropicRequestDefaults {
  defaultMaxTokens: number;
  /** The provider options key read from `providerOptions`. */
  providerOptionsKey: string;
}

const jsonInstruction = 'Respond only with a single valid JSON value, with no text before or after it.';

const effortByReasoningEffort: Record<NonNullable<ChatRequest['reasoningEffort']>, string> = {
  minimal: 'low',
  low: 'low',
  medium: 'medium',
  high: 'high',
};

/** Builds the Messages API body from a canonical request. Throws GatewayErrors for what Anthropic cannot do. */
export function buildAnthropicRequest(request: ChatRequest, defaults: AnthropicRequestDefaults, stream: boolean): AnthropicRequestBody {
  if (request.n !== undefined && request.n > 1) {
    throw new GatewayError('unsupported_parameter', 'Anthropic cannot generate more than one choice (n > 1)', { param: 'n' });
  }
  // Prompt-caching markers go back onto their blocks; every other provider option is a body field.
  const { [cacheControlOptionKey]: markers, ...bodyOptions } = request.providerOptions?.[defaults.providerOptionsKey] ?? {};
  const cacheControl = new CacheControlPlacement(readCacheControlMarkers(markers));
  const prompt = convertToAnthropicMessages(request.messages, cacheControl);
  const warnings: CallWarning[] = [...prompt.warnings];
  const unsupported = (setting: string, message: string) => warnings.push({ type: 'unsupported-setting', setting, message });

  let system = prompt.system;
  const outputConfig: Record<string, unknown> = {};
  const format = request.responseFormat;
  if (format?.type === 'json-schema') {
    outputConfig.format = { type: 'json_schema', schema: format.schema };
  } else if (format?.type === 'json') {
    // Anthropic has no schemaless JSON mode: ask for it in the system prompt instead.
    system = appendSystemText(system, jsonInstruction);
    warnings.push({ type: 'other', setting: 'response_format', message: 'Anthropic has no JSON mode; JSON output was requested in the system prompt' });
  }
  if (request.reasoningEffort !== undefined) {
    outputConfig.effort = effortByReasoningEffort[request.reasoningEffort];
    if (request.reasoningEffort === 'minimal') {
      warnings.push({ type: 'other', setting: 'reasoning_effort', message: "Anthropic has no 'minimal' effort; 'low' was used" });
    }
  }

  let maxTokens = request.maxOutputTokens ?? defaults.defaultMaxTokens;
  const budget = request.reasoningBudgetTokens;
  // Anthropic requires max_tokens > budget_tokens; without an explicit limit, leave room for the answer.
  if (budget !== undefined && request.maxOutputTokens === undefined && maxTokens <= budget) maxTokens = budget + defaults.defaultMaxTokens;

  const body: Record<string, unknown> = { model: request.model, max_tokens: maxTokens, messages: prompt.messages };
  if (system !== undefined) body.system = system;
  if (request.stopSequences !== undefined && request.stopSequences.length > 0) body.stop_sequences = request.stopSequences;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.topK !== undefined) body.top_k = request.topK;
  if (budget !== undefined) body.thinking = { type: 'enabled', budget_tokens: budget };
  if (Object.keys(outputConfig).length > 0) body.output_config = outputConfig;
  if (request.user !== undefined) body.metadata = { user_id: request.user };

  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map((tool, toolIndex) => {
      const converted: Record<string, unknown> = { name: tool.name, input_schema: tool.parameters };
      if (tool.description !== undefined) converted.description = tool.description;
      if (tool.strict !== undefined) converted.strict = tool.strict;
      return cacheControl.markTool(converted, toolIndex);
    });
  }
  warnings.push(...cacheControl.unplacedWarnings());
  const toolChoice = convertToolChoice(request);
  if (toolChoice !== undefined) body.tool_choice = toolChoice;

  if (request.seed !== undefined) unsupported('seed', 'Anthropic does not support seed');
  if (request.frequencyPenalty !== undefined) unsupported('frequency_penalty', 'Anthropic does not support frequency_penalty');
  if (request.presencePenalty !== undefined) unsupported('presence_penalty', 'Anthropic does not support presence_penalty');
  if (request.metadata !== undefined && Object.keys(request.metadata).length > 0) {
    unsupported('metadata', 'Anthropic accepts only a user id as metadata; the other metadata was not sent');
  }
  for (const key of Object.keys(request.extraBody ?? {})) unsupported(key, `Anthropic does not accept '${key}'; it was not sent`);

  if (stream) body.stream = true;
  Object.assign(body, bodyOptions);
  return { body, warnings };
}

function appendSystemText(system: AnthropicPrompt['system'], text: string): AnthropicPrompt['system'] {
  if (system === undefined) return text;
  if (typeof system === 'string') return `${system}\n\n${text}`;
  return [...system, { type: 'text', text }];
}

function convertToolChoice(request: ChatRequest): Record<string, unknown> | undefined {
  const choice: ToolChoice | undefined = request.toolChoice;
  const hasTools = request.tools !== undefined && request.tools.length > 0;
  if (choice?.type === 'tool' && !(request.tools ?? []).some((tool) => tool.name === choice.name)) {
    throw new GatewayError('invalid_request', `tool_choice names ${choice.name}, which is not among the tools`, { param: 'tool_choice' });
  }
  let converted: Record<string, unknown> | undefined;
  if (choice?.type === 'auto') converted = { type: 'auto' };
  else if (choice?.type === 'none') converted = { type: 'none' };
  else if (choice?.type === 'required') converted = { type: 'any' };
  else if (choice?.type === 'tool') converted = { type: 'tool', name: choice.name };
  if (request.parallelToolCalls === false && hasTools && converted?.type !== 'none') {
    converted = { ...(converted ?? { type: 'auto' }), disable_parallel_tool_use: true };
  }
  return converted;
}
