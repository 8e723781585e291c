import { z } from 'zod';
import { anthropicUsageSchema } from './anthropic-usage.js';

/**
 * The stream events the adapter reads, keyed by `type`. Objects are loose (Anthropic adds fields) and
 * event types not listed here (`ping`, future ones) are skipped by the reader, not rejected.
 */
export const anthropicStreamEventSchemas = {
  message_start: z.looseObject({
    message: z.looseObject({ id: z.string().optional(), model: z.string().optional(), usage: anthropicUsageSchema.nullish() }),
  }),
  content_block_start: z.looseObject({
    index: z.number().int(),
    content_block: z.looseObject({
      type: z.string(),
      id: z.string().optional(),
      name: z.string().optional(),
      text: z.string().optional(),
      thinking: z.string().optional(),
    }),
  }),
  content_block_delta: z.looseObject({
    index: z.number().int(),
    delta: z.looseObject({
      type: z.string(),
      text: z.string().optional(),
      partial_json: z.string().optional(),
      thinking: z.string().optional(),
      signature: z.string().optional(),
    }),
  }),
  content_block_stop: z.looseObject({ index: z.number().int() }),
  message_delta: z.looseObject({
    delta: z.looseObject({ stop_reason: z.string().nullish(), stop_sequence: z.string().nullish() }).optional(),
    usage: anthropicUsageSchema.nullish(),
  }),
} as const;

export type AnthropicStreamEventType = keyof typeof anthropicStreamEventSchemas;
export type AnthropicStreamEvent<Type extends AnthropicStreamEventType> = z.infer<(typeof anthropicStreamEventSchemas)[Type]>;

/** True for an event type the reader maps. */
export function isReadStreamEventType(type: string): type is AnthropicStreamEventType {
  return Object.hasOwn(anthropicStreamEventSchemas, type);
}
