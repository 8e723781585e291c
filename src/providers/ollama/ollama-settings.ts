import { z } from 'zod';
import { defaultOllamaHost, normaliseOllamaHost } from './ollama-host.js';

/** Settings of one Ollama instance. */
export interface OllamaSettings {
  /** Base URL, e.g. `http://127.0.0.1:11434` or `gpu-box` (normalised like the `ollama` client does). */
  host: string;
  /** Sent as `Authorization: Bearer`, for ollama.com or an authenticating proxy. */
  apiKey?: string;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** Ollama's `keep_alive` (`5m`, `1h`, `-1`), sent with every chat and embed request. */
  keepAlive?: string;
}

/** True when `host` can be turned into a base URL. */
export function isUsableOllamaHost(host: string): boolean {
  try {
    normaliseOllamaHost(host);
    return true;
  } catch {
    return false;
  }
}

/** Validates the settings of the `ollama` kind (strict: an unknown key is a config error). */
export const ollamaSettingsSchema = z.strictObject({
  host: z
    .string()
    .default(defaultOllamaHost)
    .refine((host) => isUsableOllamaHost(host), { message: 'expected a host such as http://127.0.0.1:11434 or localhost:11434' }),
  apiKey: z.string().min(1).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  keepAlive: z.string().min(1).optional(),
}) satisfies z.ZodType<OllamaSettings>;
