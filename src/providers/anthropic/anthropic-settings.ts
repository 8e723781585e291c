import { z } from 'zod';

/** Settings of one Anthropic provider instance (secrets already resolved to strings). */
export const anthropicSettingsSchema = z.strictObject({
  apiKey: z.string().min(1),
  baseUrl: z.string().url().default('https://api.anthropic.com'),
  /** The `anthropic-version` header. */
  version: z.string().min(1).default('2023-06-01'),
  /** Beta features, sent as one comma-separated `anthropic-beta` header. */
  beta: z.array(z.string().min(1)).optional(),
  /** `max_tokens` when the request sets none (Anthropic requires it). */
  defaultMaxTokens: z.number().int().positive().default(4096),
  /** Extra headers sent with every request (a proxy's auth, ...). */
  headers: z.record(z.string(), z.string()).optional(),
});

/** Validated Anthropic settings. */
export type AnthropicSettings = z.output<typeof anthropicSettingsSchema>;
