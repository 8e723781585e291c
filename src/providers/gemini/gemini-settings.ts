import { z } from 'zod';

/** Settings of one Gemini (Google AI Developer API) provider instance (secrets already resolved). */
export const geminiSettingsSchema = z.strictObject({
  apiKey: z.string().min(1),
  baseUrl: z.string().url().default('https://generativelanguage.googleapis.com'),
  /** The version path segment; `v1beta` is the superset that knows `parametersJsonSchema`, thinking, ... */
  apiVersion: z.string().regex(/^[a-z0-9]+$/).default('v1beta'),
  /** Extra headers sent with every request (a proxy's auth, ...). */
  headers: z.record(z.string(), z.string()).optional(),
});

/** Validated Gemini settings. */
export type GeminiSettings = z.output<typeof geminiSettingsSchema>;
