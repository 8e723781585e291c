import { z } from 'zod';

// Loose objects throughout: Anthropic adds optional block fields (citations, cache_control, ...) often, and
// clients echo response blocks back verbatim. Unknown top-level fields are collected by the decoder.

const cacheControlSchema = z.looseObject({ type: z.string() }).nullable().optional();

const textBlockSchema = z.looseObject({ type: z.literal('text'), text: z.string(), cache_control: cacheControlSchema });
const imageBlockSchema = z.looseObject({
  type: z.literal('image'),
  source: z.discriminatedUnion(
    'type',
    [
      z.looseObject({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
      z.looseObject({ type: z.literal('url'), url: z.string() }),
    ],
    { error: 'expected source type base64 or url' },
  ),
  cache_control: cacheControlSchema,
});
const toolResultContentBlockSchema = z.discriminatedUnion('type', [textBlockSchema, imageBlockSchema], {
  error: 'expected a block of type text or image',
});
const toolResultBlockSchema = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z.union([z.string(), z.array(toolResultContentBlockSchema)], { error: 'expected string or array' }).optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControlSchema,
});
const toolUseBlockSchema = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
  cache_control: cacheControlSchema,
});
const thinkingBlockSchema = z.looseObject({ type: z.literal('thinking'), thinking: z.string(), signature: z.string().optional() });
const redactedThinkingBlockSchema = z.looseObject({ type: z.literal('redacted_thinking'), data: z.string() });
// Blocks the canonical model cannot carry; the decoder refuses them with `unsupported_parameter`.
const otherBlockSchema = z.looseObject({
  type: z.enum(['document', 'search_result', 'server_tool_use', 'web_search_tool_result', 'container_upload', 'mcp_tool_use', 'mcp_tool_result']),
});

export const anthropicContentBlockSchema = z.discriminatedUnion(
  'type',
  [textBlockSchema, imageBlockSchema, toolResultBlockSchema, toolUseBlockSchema, thinkingBlockSchema, redactedThinkingBlockSchema, otherBlockSchema],
  { error: 'expected a content block of type text, image, tool_use, tool_result, thinking or redacted_thinking' },
);

const messageSchema = z.looseObject({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(anthropicContentBlockSchema)], { error: 'expected string or array' }),
});

const toolSchema = z.looseObject({
  type: z.string().optional(),
  name: z.string().min(1),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()).optional(),
  strict: z.boolean().optional(),
  cache_control: cacheControlSchema,
});

const toolChoiceSchema = z.discriminatedUnion(
  'type',
  [
    z.looseObject({ type: z.enum(['auto', 'any']), disable_parallel_tool_use: z.boolean().optional() }),
    z.looseObject({ type: z.literal('none') }),
    z.looseObject({ type: z.literal('tool'), name: z.string(), disable_parallel_tool_use: z.boolean().optional() }),
  ],
  { error: 'expected type auto, any, none or tool' },
);

const thinkingSchema = z.discriminatedUnion(
  'type',
  [
    z.looseObject({ type: z.literal('enabled'), budget_tokens: z.number().int().positive() }),
    z.looseObject({ type: z.enum(['disabled', 'adaptive']) }),
  ],
  { error: 'expected type enabled, disabled or adaptive' },
);

const outputConfigSchema = z.looseObject({
  effort: z.string().optional(),
  format: z
    .discriminatedUnion('type', [z.looseObject({ type: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) })], {
      error: 'expected type json_schema',
    })
    .nullable()
    .optional(),
});

const messagesRequestFields = {
  model: z.string().min(1),
  messages: z.array(messageSchema),
  system: z.union([z.string(), z.array(textBlockSchema)], { error: 'expected string or array of text blocks' }).optional(),
  stop_sequences: z.array(z.string()).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  stream: z.boolean().optional(),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  thinking: thinkingSchema.optional(),
  output_config: outputConfigSchema.optional(),
  metadata: z.looseObject({ user_id: z.string().nullable().optional() }).optional(),
};

/** The Anthropic Messages request body (`POST /v1/messages`), as far as the gateway interprets it. */
export const anthropicMessagesRequestSchema = z.looseObject({
  ...messagesRequestFields,
  max_tokens: z.number().int().positive(),
});

/** `POST /v1/messages/count_tokens`: the same body with `max_tokens` optional. */
export const anthropicCountTokensRequestSchema = z.looseObject({
  ...messagesRequestFields,
  max_tokens: z.number().int().positive().optional(),
});

export type AnthropicMessagesRequestBody = z.infer<typeof anthropicCountTokensRequestSchema>;
export type AnthropicContentBlockBody = z.infer<typeof anthropicContentBlockSchema>;
export type AnthropicMessageBody = z.infer<typeof messageSchema>;

/** The top-level fields the decoder maps; every other field goes to `extraBody`. */
export const mappedAnthropicFields: ReadonlySet<string> = new Set([
  ...Object.keys(messagesRequestFields),
  'max_tokens',
]);
