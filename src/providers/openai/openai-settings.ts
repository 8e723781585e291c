import { z } from 'zod';

/** Settings of one OpenAI provider instance (secrets already resolved to strings). */
export const openaiSettingsSchema = z.strictObject({
  /** Sent as `Authorization: Bearer`; optional so a keyless proxy in front of OpenAI still works. */
  apiKey: z.string().min(1).optional(),
  baseUrl: z.string().url().default('https://api.openai.com/v1'),
  /** The `OpenAI-Organization` header. */
  organization: z.string().min(1).optional(),
  /** The `OpenAI-Project` header. */
  project: z.string().min(1).optional(),
  /** Extra headers sent with every request (a proxy's auth, ...). */
  headers: z.record(z.string(), z.string()).optional(),
});

/** Validated OpenAI settings. */
export type OpenAISettings = z.output<typeof openaiSettingsSchema>;
