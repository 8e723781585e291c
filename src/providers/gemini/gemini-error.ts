import { z } from 'zod';
import { readErrorText } from '../../kit/json-body.js';
import { parseDurationSeconds } from '../../kit/retry-after.js';
import { upstreamStatusError, type UpstreamErrorDetails } from '../../kit/upstream-status-error.js';
import { GatewayError, type UpstreamResponse } from '../../spec/index.js';

/** A google.rpc.Status error body: `{"error":{code,message,status,details[]}}`. */
export const geminiErrorBodySchema = z.looseObject({
  error: z.looseObject({
    code: z.number().int().optional(),
    message: z.string().optional(),
    status: z.string().optional(),
    details: z.array(z.looseObject({ '@type': z.string().optional() })).optional(),
  }),
});

const retryInfoType = 'type.googleapis.com/google.rpc.RetryInfo';
const errorInfoType = 'type.googleapis.com/google.rpc.ErrorInfo';
// ErrorInfo reasons that mean the gateway's own key is wrong (Gemini answers them with 400, not 401).
const credentialReasons = new Set(['API_KEY_INVALID', 'API_KEY_EXPIRED', 'API_KEY_SERVICE_BLOCKED']);
const tokenOverflowPattern = /exceeds the maximum number of tokens/i;
const longestPassedOnMessage = 500;

/** What the adapter learnt from a Gemini error body. */
export interface GeminiErrorDetails extends UpstreamErrorDetails {
  /** The HTTP status the body names (`error.code`), used for errors that arrive inside a stream. */
  code?: number;
  /** The ErrorInfo `reason` (`API_KEY_INVALID`, ...). */
  reason?: string;
}

/** Reads a google.rpc.Status body, or a bounded excerpt of anything else. */
export function parseGeminiErrorText(text: string): GeminiErrorDetails {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  // Gemini sometimes wraps the Status in a one-element array (the non-SSE stream format).
  if (Array.isArray(value) && value.length === 1) value = value[0];
  const parsed = geminiErrorBodySchema.safeParse(value);
  if (!parsed.success) {
    const excerpt = text.trim().slice(0, longestPassedOnMessage);
    return { message: excerpt === '' ? 'no error message' : excerpt };
  }
  return readStatus(parsed.data.error);
}

function readStatus(error: z.infer<typeof geminiErrorBodySchema>['error']): GeminiErrorDetails {
  const message = error.message ?? error.status ?? 'no error message';
  let retryAfterSeconds: number | undefined;
  let reason: string | undefined;
  for (const detail of error.details ?? []) {
    if (detail['@type'] === retryInfoType) retryAfterSeconds = parseDurationSeconds(detail.retryDelay);
    if (detail['@type'] === errorInfoType && typeof detail.reason === 'string') reason = detail.reason;
  }
  return {
    message,
    code: error.code,
    reason,
    upstreamCode: reason !== undefined && credentialReasons.has(reason) ? reason : error.status,
    retryAfterSeconds,
    contextLengthExceeded: tokenOverflowPattern.test(message) || undefined,
  };
}

/** Maps an HTTP status plus Gemini error details to the catalog. */
export function geminiError(
  providerName: string,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  details: GeminiErrorDetails,
): GatewayError {
  if (details.reason !== undefined && credentialReasons.has(details.reason)) {
    // A bad key is the gateway's configuration problem, not the client's request: never a plain 400.
    return new GatewayError('upstream_authentication_failed', `${providerName}: ${details.message}`, {
      upstreamStatus: status,
      upstreamCode: details.reason,
    });
  }
  return upstreamStatusError(providerName, status, headers, details);
}

/** Maps a non-2xx Gemini response to a GatewayError (reads the body). */
export async function geminiStatusError(providerName: string, response: UpstreamResponse): Promise<GatewayError> {
  const details = parseGeminiErrorText(await readErrorText(response.body));
  return geminiError(providerName, response.status, response.headers, details);
}

/** True when a parsed stream chunk is a google.rpc.Status rather than a response. */
export function isGeminiErrorChunk(value: unknown): value is z.infer<typeof geminiErrorBodySchema> {
  return geminiErrorBodySchema.safeParse(value).success;
}

/** Maps a Status object received inside a stream (after the 200) to a GatewayError. */
export function geminiStreamError(providerName: string, value: z.infer<typeof geminiErrorBodySchema>): GatewayError {
  const details = readStatus(value.error);
  return geminiError(providerName, details.code ?? 500, {}, details);
}
