import { z } from 'zod';
import { GatewayError, type AssistantPart, type CallWarning, type ChatResult } from '../../spec/index.js';
import { anthropicUsageSchema, convertAnthropicUsage } from './anthropic-usage.js';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';

/** A response content block; only the fields the gateway reads are checked, unknown block types pass. */
const contentBlockSchema = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  id: z.string().optional(),
  name: z.string().optional(),
  input: z.unknown().optional(),
  thinking: z.string().optional(),
  signature: z.string().optional(),
  data: z.string().optional(),
});

/** The non-streaming Messages API response. */
export const anthropicMessageSchema = z.looseObject({
  id: z.string().optional(),
  type: z.literal('message').optional(),
  model: z.string().optional(),
  content: z.array(contentBlockSchema),
  stop_reason: z.string().nullish(),
  stop_sequence: z.string().nullish(),
  usage: anthropicUsageSchema.optional(),
});

export type AnthropicMessageResponse = z.infer<typeof anthropicMessageSchema>;

/** Converts a parsed JSON response into a ChatResult, or throws `upstream_bad_response`. */
export function convertAnthropicResponse(providerName: string, json: Record<string, unknown>, warnings: CallWarning[]): ChatResult {
  const parsed = anthropicMessageSchema.safeParse(json);
  if (!parsed.success) {
    throw new GatewayError('upstream_bad_response', `${providerName} returned a message that does not match the Messages API`);
  }
  const message = parsed.data;
  const content: AssistantPart[] = [];
  const otherBlocks: unknown[] = [];
  for (const block of message.content) {
    if (block.type === 'text') content.push({ type: 'text', text: block.text ?? '' });
    else if (block.type === 'tool_use') {
      content.push({ type: 'tool-call', id: block.id ?? '', name: block.name ?? '', arguments: JSON.stringify(block.input ?? {}) });
    } else if (block.type === 'thinking') {
      content.push({ type: 'reasoning', text: block.thinking ?? '', signature: block.signature });
    } else if (block.type === 'redacted_thinking') {
      content.push({ type: 'reasoning', text: '', redactedData: block.data });
    } else {
      // Server tool blocks (web search, ...) have no canonical part; keep them for audit.
      otherBlocks.push(block);
    }
  }
  const providerMetadata: Record<string, unknown> = {};
  if (message.stop_sequence !== null && message.stop_sequence !== undefined) providerMetadata.stopSequence = message.stop_sequence;
  if (otherBlocks.length > 0) providerMetadata.otherContent = otherBlocks;
  return {
    id: message.id,
    model: message.model,
    choices: [{ index: 0, content, finishReason: mapAnthropicFinishReason(message.stop_reason) }],
    usage: convertAnthropicUsage(message.usage),
    warnings,
    ...(Object.keys(providerMetadata).length > 0 ? { providerMetadata: { anthropic: providerMetadata } } : {}),
  };
}
