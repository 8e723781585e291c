import type { Usage } from '../../spec/index.js';
import { anthropicUsageSchema, convertAnthropicUsage } from './anthropic-usage.js';

/**
 * Reads usage from a forwarded Messages API body or one of its stream events: a `message` body and
 * `message_start` carry the input and cache counts, `message_delta` the cumulative output (and sometimes
 * input again). Figures a chunk does not carry stay undefined, so a tap that overlays the defined figures
 * of later chunks on earlier ones gets the final usage.
 */
export function readAnthropicPassthroughUsage(json: Record<string, unknown>): Usage | undefined {
  let usage: unknown;
  if (json.type === 'message' || json.type === 'message_delta') usage = json.usage;
  else if (json.type === 'message_start') usage = (json.message as { usage?: unknown } | undefined)?.usage;
  if (usage === undefined || usage === null) return undefined;
  const parsed = anthropicUsageSchema.safeParse(usage);
  return parsed.success ? convertAnthropicUsage(parsed.data) : undefined;
}
