import type { ProviderDefinition } from '../provider-definition.js';
import { GeminiAdapter } from './gemini-adapter.js';
import { geminiSettingsSchema, type GeminiSettings } from './gemini-settings.js';

/**
 * The Gemini provider kind. Discovery reads the variables `@google/genai` reads, with its precedence:
 * `GOOGLE_API_KEY` wins over `GEMINI_API_KEY` when both are set, and `GOOGLE_GEMINI_BASE_URL` moves the
 * base URL (to a proxy or a mock).
 */
export const geminiProvider: ProviderDefinition<GeminiSettings> = {
  kind: 'gemini',
  description: 'Google Gemini API (generativelanguage.googleapis.com)',
  settingsSchema: geminiSettingsSchema,
  async discover(context) {
    const apiKey = nonEmpty(context.environment.GOOGLE_API_KEY) ?? nonEmpty(context.environment.GEMINI_API_KEY);
    if (apiKey === undefined) return undefined;
    const baseUrl = nonEmpty(context.environment.GOOGLE_GEMINI_BASE_URL);
    const parsed = geminiSettingsSchema.safeParse(baseUrl === undefined ? { apiKey } : { apiKey, baseUrl });
    return parsed.success ? parsed.data : undefined;
  },
  create: (name, settings) => new GeminiAdapter(name, settings),
  catalogProviders: ['gemini'],
  environmentVariables: ['GEMINI_API_KEY', 'GOOGLE_API_KEY', 'GOOGLE_GEMINI_BASE_URL'],
};

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
