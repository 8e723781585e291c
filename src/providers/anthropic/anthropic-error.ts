import { z } from 'zod';
import { readErrorText } from '../../kit/json-body.js';
import { upstreamStatusError } from '../../kit/upstream-status-error.js';
import type { GatewayError, UpstreamResponse } from '../../spec/index.js';

/** Anthropic's error body: `{"type":"error","error":{"type","message"},"request_id"}`. */
export const anthropicErrorBodySchema = z.looseObject({
  type: z.literal('error'),
  error: z.looseObject({ type: z.string(), message: z.string().optional() }),
});

/**
 * The HTTP status Anthropic uses for each error type, so an error that arrives inside a stream (after the
 * 200) maps to the same catalog code as the same error before it.
 */
const statusByErrorType: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

const longestPassedOnMessage = 500;

/** Reads the error details from a body that may or may not be Anthropic's error JSON. */
export function parseAnthropicErrorText(text: string): { message: string; upstreamCode?: string } {
  try {
    const parsed = anthropicErrorBodySchema.safeParse(JSON.parse(text));
    if (parsed.success) {
      return { message: parsed.data.error.message ?? parsed.data.error.type, upstreamCode: parsed.data.error.type };
    }
  } catch {
    // Not JSON (an HTML page from a proxy, ...): pass a bounded excerpt on.
  }
  const excerpt = text.trim().slice(0, longestPassedOnMessage);
  return { message: excerpt === '' ? 'no error message' : excerpt };
}

/** Maps a non-2xx Anthropic answer, whose body was read as text, to a GatewayError. */
export function anthropicErrorFromText(
  providerName: string,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  bodyText: string,
): GatewayError {
  return upstreamStatusError(providerName, status, headers, parseAnthropicErrorText(bodyText));
}

/** Maps a non-2xx Anthropic response to a GatewayError (reads the body). */
export async function anthropicStatusError(providerName: string, response: UpstreamResponse): Promise<GatewayError> {
  return anthropicErrorFromText(providerName, response.status, response.headers, await readErrorText(response.body));
}

/** Maps an `event: error` payload received mid-stream to a GatewayError. */
export function anthropicStreamError(providerName: string, data: string): GatewayError {
  const details = parseAnthropicErrorText(data);
  const status = statusByErrorType[details.upstreamCode ?? ''] ?? 500;
  return upstreamStatusError(providerName, status, {}, details);
}
