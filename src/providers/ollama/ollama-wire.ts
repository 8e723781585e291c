import { z } from 'zod';

/**
 * zod schemas of what Ollama sends back (openapi.yaml `ChatResponse`, `ChatStreamEvent`, `EmbedResponse`,
 * `ListResponse`). Objects are loose: fields we do not read are kept for `raw`, and a newer server adding
 * fields must not break us.
 */

const ollamaToolCallSchema = z.looseObject({
  id: z.string().optional(),
  function: z.looseObject({
    index: z.number().optional(),
    name: z.string(),
    // The server sends an object; a string is tolerated because some proxies re-encode it.
    arguments: z.union([z.record(z.string(), z.unknown()), z.string()]).optional(),
  }),
});

/** One tool call as Ollama sends it (no id in most versions, arguments as an object). */
export type OllamaToolCall = z.infer<typeof ollamaToolCallSchema>;

/** A `/api/chat` answer: the whole response, or one NDJSON line of a stream. */
export const ollamaChatChunkSchema = z.looseObject({
  model: z.string().optional(),
  created_at: z.string().optional(),
  message: z
    .looseObject({
      role: z.string().optional(),
      content: z.string().optional(),
      thinking: z.string().optional(),
      tool_calls: z.array(ollamaToolCallSchema).nullish(),
      images: z.array(z.string()).nullish(),
    })
    .optional(),
  done: z.boolean().optional(),
  done_reason: z.string().optional(),
  total_duration: z.number().optional(),
  load_duration: z.number().optional(),
  prompt_eval_count: z.number().optional(),
  prompt_eval_duration: z.number().optional(),
  eval_count: z.number().optional(),
  eval_duration: z.number().optional(),
});

/** A parsed `/api/chat` response or stream line. */
export type OllamaChatChunk = z.infer<typeof ollamaChatChunkSchema>;

/** `/api/embed` response. */
export const ollamaEmbedResponseSchema = z.looseObject({
  model: z.string().optional(),
  embeddings: z.array(z.array(z.number())),
  total_duration: z.number().optional(),
  load_duration: z.number().optional(),
  prompt_eval_count: z.number().optional(),
});

/** `/api/tags` response. */
export const ollamaTagsResponseSchema = z.looseObject({
  models: z.array(
    z.looseObject({
      name: z.string(),
      model: z.string().optional(),
      modified_at: z.string().optional(),
      size: z.number().optional(),
      digest: z.string().optional(),
      details: z.looseObject({}).optional(),
    }),
  ),
});

/** A JSON body or line that carries an error (`{"error":"message"}`), or undefined when it is not one. */
export function ollamaErrorMessage(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const error = (value as { error?: unknown }).error;
  if (error === undefined || error === null) return undefined;
  if (typeof error === 'string') return error;
  // Ollama's /v1 shape ({error:{message}}) can show up behind proxies that rewrite paths.
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' ? message : JSON.stringify(error);
}
