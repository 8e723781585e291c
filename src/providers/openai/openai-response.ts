import { z } from 'zod';
import { GatewayError, type AssistantPart, type CallWarning, type ChatChoice, type ChatResult } from '../../spec/index.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import { convertOpenAIUsage } from './openai-usage.js';

const toolCallSchema = z.looseObject({
  id: z.string().nullish(),
  type: z.string().nullish(),
  function: z.looseObject({ name: z.string().nullish(), arguments: z.unknown() }),
});

/** A chat completion, loosely: unknown fields are kept, nullable ones tolerated (compatible servers vary). */
export const openaiChatCompletionSchema = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  created: z.number().nullish(),
  choices: z.array(
    z.looseObject({
      index: z.number().int().nullish(),
      finish_reason: z.string().nullish(),
      message: z
        .looseObject({
          content: z.union([z.string(), z.array(z.unknown())]).nullish(),
          refusal: z.string().nullish(),
          reasoning_content: z.string().nullish(),
          reasoning: z.string().nullish(),
          tool_calls: z.array(toolCallSchema).nullish(),
        })
        .nullish(),
    }),
  ),
  usage: z.unknown().optional(),
  system_fingerprint: z.string().nullish(),
  service_tier: z.string().nullish(),
  prompt_filter_results: z.unknown().optional(),
});

type OpenAIChatCompletion = z.infer<typeof openaiChatCompletionSchema>;

/**
 * Reads `content` given as a list of parts, as Mistral's reasoning models send it: `text` parts, and
 * `thinking` parts whose `thinking` is itself a list of text parts.
 */
export function readContentParts(parts: unknown[]): { text: string; reasoning: string } {
  let text = '';
  let reasoning = '';
  for (const part of parts) {
    if (part === null || typeof part !== 'object') continue;
    const { type, text: partText, thinking } = part as { type?: unknown; text?: unknown; thinking?: unknown };
    if (type === 'text' && typeof partText === 'string') text += partText;
    else if (type === 'thinking' && typeof thinking === 'string') reasoning += thinking;
    else if (type === 'thinking' && Array.isArray(thinking)) reasoning += readContentParts(thinking).text;
  }
  return { text, reasoning };
}

/** Arguments as JSON text: OpenAI sends a string; a few compatible servers send the object itself. */
export function argumentsText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}

function providerMetadata(completion: OpenAIChatCompletion): Record<string, unknown> | undefined {
  const metadata: Record<string, unknown> = {};
  if (completion.system_fingerprint) metadata.systemFingerprint = completion.system_fingerprint;
  if (completion.service_tier) metadata.serviceTier = completion.service_tier;
  if (completion.prompt_filter_results !== undefined) metadata.promptFilterResults = completion.prompt_filter_results;
  const filters = completion.choices.map((choice) => (choice as Record<string, unknown>).content_filter_results);
  if (filters.some((filter) => filter !== undefined)) metadata.contentFilterResults = filters;
  return Object.keys(metadata).length > 0 ? metadata : undefined;
}

/**
 * Converts a chat completion into a ChatResult. A refusal is kept as text (the finish reason tells whether
 * a filter acted); reasoning text from DeepSeek / vLLM style servers comes first, as the model produced it.
 */
export function convertOpenAIResponse(
  providerName: string,
  metadataKey: string,
  json: Record<string, unknown>,
  warnings: CallWarning[],
): ChatResult {
  const parsed = openaiChatCompletionSchema.safeParse(json);
  if (!parsed.success || parsed.data.choices.length === 0) {
    throw new GatewayError('upstream_bad_response', `${providerName} returned a chat completion that does not match its API`);
  }
  const completion = parsed.data;
  const choices: ChatChoice[] = completion.choices.map((choice, position) => {
    const message = choice.message ?? {};
    const content: AssistantPart[] = [];
    const parts = Array.isArray(message.content) ? readContentParts(message.content) : { text: message.content ?? '', reasoning: '' };
    const reasoning = message.reasoning_content ?? message.reasoning ?? parts.reasoning;
    if (reasoning) content.push({ type: 'reasoning', text: reasoning });
    if (parts.text) content.push({ type: 'text', text: parts.text });
    if (message.refusal) content.push({ type: 'text', text: message.refusal });
    message.tool_calls?.forEach((call, callIndex) => {
      content.push({ type: 'tool-call', id: call.id ?? `call_${callIndex}`, name: call.function.name ?? '', arguments: argumentsText(call.function.arguments) });
    });
    return { index: choice.index ?? position, content, finishReason: mapOpenAIFinishReason(choice.finish_reason) };
  });
  const result: ChatResult = { choices, usage: convertOpenAIUsage(completion.usage) ?? {}, warnings };
  if (completion.id) result.id = completion.id;
  if (completion.model) result.model = completion.model;
  if (typeof completion.created === 'number' && completion.created > 0) result.created = completion.created;
  const metadata = providerMetadata(completion);
  if (metadata !== undefined) result.providerMetadata = { [metadataKey]: metadata };
  return result;
}
