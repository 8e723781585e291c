import type { ChatResult } from '../../spec/index.js';
import type { EncodeContext } from '../dialect.js';
import { anthropicMessageId, encodeAnthropicUsage, mapAnthropicStopReason } from './encode-anthropic-usage.js';

/** Tool input must be an object on Anthropic's wire; unparseable or non-object arguments become `{}`. */
export function parseToolInput(argumentsText: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(argumentsText);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Encodes a canonical result as an Anthropic `message` (choice 0 only: Anthropic has no `n`). */
export function encodeAnthropicMessagesResult(result: ChatResult, context: EncodeContext): Record<string, unknown> {
  const choice = result.choices[0];
  const content: Array<Record<string, unknown>> = [];
  for (const part of choice?.content ?? []) {
    if (part.type === 'text') content.push({ type: 'text', text: part.text });
    else if (part.type === 'tool-call') content.push({ type: 'tool_use', id: part.id, name: part.name, input: parseToolInput(part.arguments) });
    else if (part.redactedData !== undefined) content.push({ type: 'redacted_thinking', data: part.redactedData });
    else content.push({ type: 'thinking', thinking: part.text, signature: part.signature ?? '' });
  }
  return {
    id: anthropicMessageId(result.id, context.requestId),
    type: 'message',
    role: 'assistant',
    model: context.model,
    content,
    stop_reason: choice === undefined ? 'end_turn' : mapAnthropicStopReason(choice.finishReason),
    stop_sequence: null,
    usage: encodeAnthropicUsage(result.usage),
  };
}
