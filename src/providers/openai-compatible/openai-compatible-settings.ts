import { z } from 'zod';

/** Settings of one OpenAI-compatible server (vLLM, llama.cpp, LM Studio, Groq, Mistral, DeepSeek, ...). */
export const openaiCompatibleSettingsSchema = z.strictObject({
  /** The URL the paths hang off, including its `/v1` when the server has one (`http://127.0.0.1:8000/v1`). */
  baseUrl: z.string().url(),
  /** Sent as `Authorization: Bearer` when set; local servers usually need none. */
  apiKey: z.string().min(1).optional(),
  /** Extra headers sent with every request (OpenRouter's `HTTP-Referer`, a proxy's auth, ...). */
  headers: z.record(z.string(), z.string()).optional(),
});

/** Validated OpenAI-compatible settings. */
export type OpenaiCompatibleSettings = z.output<typeof openaiCompatibleSettingsSchema>;
