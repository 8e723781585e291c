import { z } from 'zod';

// Nested objects are loose: OpenAI keeps adding optional fields (e.g. `annotations`, `audio`) that clients
// echo back, and rejecting them would break working clients. Top-level unknown fields are collected into
// `extraBody` by the decoder instead.

const textPartSchema = z.looseObject({ type: z.literal('text'), text: z.string() });
const imagePartSchema = z.looseObject({
  type: z.literal('image_url'),
  image_url: z.looseObject({ url: z.string(), detail: z.enum(['auto', 'low', 'high']).optional() }),
});
const refusalPartSchema = z.looseObject({ type: z.literal('refusal'), refusal: z.string() });
const unsupportedPartSchema = z.looseObject({ type: z.enum(['input_audio', 'file']) });

export const openAIUserPartSchema = z.discriminatedUnion('type', [textPartSchema, imagePartSchema, unsupportedPartSchema], {
  error: 'expected a content part of type text, image_url, input_audio or file',
});
const assistantPartSchema = z.discriminatedUnion('type', [textPartSchema, refusalPartSchema], {
  error: 'expected a content part of type text or refusal',
});
const textOnlyPartSchema = z.discriminatedUnion('type', [textPartSchema], { error: 'expected a content part of type text' });

const stringOrArray = 'expected string or array';

const toolCallSchema = z.looseObject({
  id: z.string(),
  type: z.literal('function').optional(),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

const systemMessageSchema = z.looseObject({
  role: z.enum(['system', 'developer']),
  content: z.union([z.string(), z.array(textOnlyPartSchema)], { error: stringOrArray }),
  name: z.string().optional(),
});
const userMessageSchema = z.looseObject({
  role: z.literal('user'),
  content: z.union([z.string(), z.array(openAIUserPartSchema)], { error: stringOrArray }),
  name: z.string().optional(),
});
const assistantMessageSchema = z.looseObject({
  role: z.literal('assistant'),
  content: z.union([z.string(), z.array(assistantPartSchema), z.null()], { error: 'expected string, array or null' }).optional(),
  refusal: z.string().nullable().optional(),
  name: z.string().optional(),
  tool_calls: z.array(toolCallSchema).optional(),
  function_call: z.looseObject({ name: z.string(), arguments: z.string() }).nullable().optional(),
  // Not part of OpenAI's spec, but DeepSeek-style clients echo reasoning back this way.
  reasoning_content: z.string().nullable().optional(),
});
const toolMessageSchema = z.looseObject({
  role: z.literal('tool'),
  tool_call_id: z.string(),
  content: z.union([z.string(), z.array(textOnlyPartSchema)], { error: stringOrArray }),
});
const functionMessageSchema = z.looseObject({
  role: z.literal('function'),
  name: z.string(),
  content: z.string().nullable(),
});

export const openAIChatMessageSchema = z.discriminatedUnion(
  'role',
  [systemMessageSchema, userMessageSchema, assistantMessageSchema, toolMessageSchema, functionMessageSchema],
  { error: 'expected role system, developer, user, assistant, tool or function' },
);

const functionDefinitionSchema = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  strict: z.boolean().nullable().optional(),
});

const toolSchema = z.looseObject({ type: z.string(), function: functionDefinitionSchema.optional() });

const toolChoiceSchema = z.union(
  [
    z.enum(['none', 'auto', 'required']),
    z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string() }) }),
    z.looseObject({ type: z.string() }),
  ],
  { error: 'expected "none", "auto", "required" or {"type":"function","function":{"name":...}}' },
);

const responseFormatSchema = z.discriminatedUnion(
  'type',
  [
    z.looseObject({ type: z.literal('text') }),
    z.looseObject({ type: z.literal('json_object') }),
    z.looseObject({
      type: z.literal('json_schema'),
      json_schema: z.looseObject({
        name: z.string(),
        description: z.string().optional(),
        schema: z.record(z.string(), z.unknown()).optional(),
        strict: z.boolean().nullable().optional(),
      }),
    }),
  ],
  { error: 'expected type text, json_object or json_schema' },
);

const finiteNumber = z.number().finite();

/** The OpenAI Chat Completions request body, as far as the gateway interprets it. */
export const openAIChatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(openAIChatMessageSchema).min(1),
  stream: z.boolean().nullable().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  temperature: finiteNumber.min(0).max(2).nullable().optional(),
  top_p: finiteNumber.min(0).max(1).nullable().optional(),
  frequency_penalty: finiteNumber.min(-2).max(2).nullable().optional(),
  presence_penalty: finiteNumber.min(-2).max(2).nullable().optional(),
  max_tokens: z.number().int().positive().nullable().optional(),
  max_completion_tokens: z.number().int().positive().nullable().optional(),
  n: z.number().int().min(1).max(128).nullable().optional(),
  stop: z.union([z.string(), z.array(z.string()).max(4)], { error: 'expected string or array of at most 4 strings' }).nullable().optional(),
  seed: z.number().int().nullable().optional(),
  user: z.string().optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  parallel_tool_calls: z.boolean().optional(),
  functions: z.array(functionDefinitionSchema).optional(),
  function_call: z.union([z.enum(['none', 'auto']), z.looseObject({ name: z.string() })], { error: 'expected "none", "auto" or {"name":...}' }).optional(),
  response_format: responseFormatSchema.optional(),
  reasoning_effort: z.string().nullable().optional(),
});

export type OpenAIChatRequestBody = z.infer<typeof openAIChatRequestSchema>;
export type OpenAIChatMessageBody = z.infer<typeof openAIChatMessageSchema>;
export type OpenAIUserPartBody = z.infer<typeof openAIUserPartSchema>;

/** The top-level fields the decoder maps; every other field goes to `extraBody`. */
export const mappedOpenAIChatFields: ReadonlySet<string> = new Set([
  'model', 'messages', 'stream', 'stream_options', 'temperature', 'top_p', 'frequency_penalty', 'presence_penalty',
  'max_tokens', 'max_completion_tokens', 'n', 'stop', 'seed', 'user', 'metadata', 'tools', 'tool_choice',
  'parallel_tool_calls', 'functions', 'function_call', 'response_format', 'reasoning_effort',
]);
