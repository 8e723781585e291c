import type { CallWarning, ChatRequest, ToolChoice } from '../../spec/index.js';
import { convertToGeminiContents } from './convert-to-gemini-contents.js';

/** A `GenerateContentRequest` body and the settings that could not be honoured. */
export interface GeminiRequestBody {
  body: Record<string, unknown>;
  warnings: CallWarning[];
}

// Gemini's thinking is budgeted in tokens; these are the budgets an effort level stands for (the same
// figures LiteLLM uses, so a model switch behind the gateway behaves alike).
const budgetByEffort: Record<NonNullable<ChatRequest['reasoningEffort']>, number> = {
  minimal: 128,
  low: 1024,
  medium: 2048,
  high: 4096,
};

/**
 * Encodes a canonical chat request as a Gemini `GenerateContentRequest` (the model goes in the URL).
 * `providerOptions.gemini` is merged last: its `generationConfig` into ours, other keys (`safetySettings`,
 * `cachedContent`, ...) at the top level.
 */
export function buildGeminiRequest(request: ChatRequest): GeminiRequestBody {
  const warnings: CallWarning[] = [];
  const { contents, systemInstruction } = convertToGeminiContents(request.messages);
  const body: Record<string, unknown> = { contents };
  if (systemInstruction !== undefined) body.systemInstruction = systemInstruction;
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = [
      {
        functionDeclarations: request.tools.map((tool) => ({
          name: tool.name,
          ...(tool.description === undefined ? {} : { description: tool.description }),
          parametersJsonSchema: tool.parameters,
        })),
      },
    ];
  }
  if (request.toolChoice !== undefined) body.toolConfig = { functionCallingConfig: convertToolChoice(request.toolChoice) };
  const generationConfig = buildGenerationConfig(request);
  const options = request.providerOptions?.gemini ?? {};
  for (const [key, value] of Object.entries(options)) {
    if (key === 'generationConfig' && isRecord(value)) Object.assign(generationConfig, value);
    else body[key] = value;
  }
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;
  warnings.push(...unsupportedSettings(request));
  return { body, warnings };
}

function buildGenerationConfig(request: ChatRequest): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined) config[key] = value;
  };
  set('temperature', request.temperature);
  set('topP', request.topP);
  set('topK', request.topK);
  set('maxOutputTokens', request.maxOutputTokens);
  if (request.stopSequences !== undefined && request.stopSequences.length > 0) config.stopSequences = request.stopSequences;
  set('candidateCount', request.n);
  set('seed', request.seed);
  set('presencePenalty', request.presencePenalty);
  set('frequencyPenalty', request.frequencyPenalty);
  const format = request.responseFormat;
  if (format?.type === 'json') config.responseMimeType = 'application/json';
  if (format?.type === 'json-schema') {
    config.responseMimeType = 'application/json';
    config.responseJsonSchema = format.schema;
  }
  const budget =
    request.reasoningBudgetTokens ?? (request.reasoningEffort === undefined ? undefined : budgetByEffort[request.reasoningEffort]);
  if (budget !== undefined) config.thinkingConfig = { thinkingBudget: budget, includeThoughts: true };
  return config;
}

function convertToolChoice(choice: ToolChoice): Record<string, unknown> {
  switch (choice.type) {
    case 'auto':
      return { mode: 'AUTO' };
    case 'none':
      return { mode: 'NONE' };
    case 'required':
      return { mode: 'ANY' };
    case 'tool':
      return { mode: 'ANY', allowedFunctionNames: [choice.name] };
  }
}

/** Settings Gemini has no field for: one warning each, never silent loss. */
function unsupportedSettings(request: ChatRequest): CallWarning[] {
  const warnings: CallWarning[] = [];
  for (const key of Object.keys(request.extraBody ?? {})) {
    warnings.push({ type: 'unsupported-setting', setting: key, message: `Gemini has no '${key}' setting; it was not sent` });
  }
  if (request.parallelToolCalls === false) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'parallel_tool_calls',
      message: 'Gemini cannot forbid parallel function calls; the model may still make several',
    });
  }
  if (request.user !== undefined) {
    warnings.push({ type: 'unsupported-setting', setting: 'user', message: 'Gemini has no end-user field; it was not sent' });
  }
  if (request.metadata !== undefined && Object.keys(request.metadata).length > 0) {
    warnings.push({ type: 'unsupported-setting', setting: 'metadata', message: 'Gemini has no request metadata; it was not sent' });
  }
  return warnings;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
