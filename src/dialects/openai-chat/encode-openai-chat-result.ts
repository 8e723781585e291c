import type { ChatChoice, ChatResult } from '../../spec/index.js';
import type { EncodeContext } from '../dialect.js';
import { encodeOpenAIUsage } from './encode-openai-usage.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';

function encodeChoice(choice: ChatChoice): Record<string, unknown> {
  let text: string | undefined;
  let reasoning: string | undefined;
  const toolCalls: Array<Record<string, unknown>> = [];
  for (const part of choice.content) {
    if (part.type === 'text') text = (text ?? '') + part.text;
    else if (part.type === 'reasoning') reasoning = (reasoning ?? '') + part.text;
    else toolCalls.push({ id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments } });
  }
  const message: Record<string, unknown> = {
    role: 'assistant',
    // OpenAI sends null content when the turn is only tool calls, and "" for an empty answer.
    content: text ?? (toolCalls.length > 0 ? null : ''),
    refusal: null,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning !== undefined) message.reasoning_content = reasoning;
  return { index: choice.index, message, logprobs: null, finish_reason: mapOpenAIFinishReason(choice.finishReason) };
}

/** Encodes a canonical result as an OpenAI `chat.completion` object. */
export function encodeOpenAIChatResult(result: ChatResult, context: EncodeContext): Record<string, unknown> {
  const fingerprint = result.providerMetadata?.systemFingerprint;
  const completion: Record<string, unknown> = {
    id: result.id ?? `chatcmpl-${context.requestId}`,
    object: 'chat.completion',
    created: context.created,
    model: context.model,
    choices: result.choices.map(encodeChoice),
    usage: encodeOpenAIUsage(result.usage),
  };
  // The spec types the fingerprint as a string (not nullable), so it is left out when unknown.
  if (typeof fingerprint === 'string') completion.system_fingerprint = fingerprint;
  return completion;
}
