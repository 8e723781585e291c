import { readErrorText } from '../../kit/json-body.js';
import { upstreamStatusError, type UpstreamErrorDetails } from '../../kit/upstream-status-error.js';
import type { GatewayError, UpstreamResponse } from '../../spec/index.js';

type Headers = Record<string, string | string[] | undefined>;
type JsonObject = Record<string, unknown>;

const longestPassedOnMessage = 500;

/** Status an error type implies when it arrives inside a stream (after the 200), so it maps like the same error before it. */
const statusByErrorType: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  requests: 429,
  tokens: 429,
  rate_limit_exceeded: 429,
  insufficient_quota: 429,
  server_error: 500,
  overloaded: 503,
};

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Reads the details of an OpenAI error value: the documented `{message,type,param,code}` object, Azure's
 * variant with `innererror`, or the bare string OpenAI-compatible servers send (`{"error":"..."}`).
 */
export function readOpenAIErrorValue(value: unknown): UpstreamErrorDetails & { status?: number } {
  if (typeof value === 'string') return { message: value.slice(0, longestPassedOnMessage) || 'no error message' };
  if (value === null || typeof value !== 'object') return { message: 'no error message' };
  const error = value as JsonObject;
  const code = text(error.code) ?? (typeof error.code === 'number' ? String(error.code) : undefined);
  const type = text(error.type);
  const innerCode = text((error.innererror as JsonObject | undefined)?.code);
  const message = text(error.message) ?? code ?? type ?? 'no error message';
  const details: UpstreamErrorDetails & { status?: number } = { message: message.slice(0, longestPassedOnMessage) };
  const upstreamCode = text(error.code) ?? type;
  if (upstreamCode !== undefined) details.upstreamCode = upstreamCode;
  if (code === 'context_length_exceeded') details.contextLengthExceeded = true;
  if (code === 'content_filter' || innerCode === 'ResponsibleAIPolicyViolation') details.contentFiltered = true;
  // vLLM (a number) and Azure (a numeric string) put the HTTP status in `code`; otherwise the type implies one.
  const numericCode = typeof error.code === 'number' || typeof error.code === 'string' ? Number(error.code) : Number.NaN;
  const status = numericCode >= 400 && numericCode < 600 ? numericCode : statusByErrorType[text(error.code) ?? ''] ?? statusByErrorType[type ?? ''];
  if (status !== undefined) details.status = status;
  return details;
}

/** Reads error details from a body that may or may not be JSON (an HTML page from a proxy, ...). */
export function parseOpenAIErrorText(bodyText: string): UpstreamErrorDetails & { status?: number } {
  try {
    const parsed = JSON.parse(bodyText) as unknown;
    if (parsed !== null && typeof parsed === 'object') {
      const body = parsed as JsonObject;
      if (body.error !== undefined && body.error !== null) return readOpenAIErrorValue(body.error);
      // Older vLLM: `{"object":"error","message":...,"type":...,"code":400}`.
      if (typeof body.message === 'string') return readOpenAIErrorValue(body);
    }
  } catch {
    // Not JSON: pass a bounded excerpt on.
  }
  const excerpt = bodyText.trim().slice(0, longestPassedOnMessage);
  return { message: excerpt === '' ? 'no error message' : excerpt };
}

/** Maps a non-2xx answer whose body was already read to a GatewayError. */
export function openaiErrorFromText(providerName: string, status: number, headers: Headers, bodyText: string): GatewayError {
  const { status: _implied, ...details } = parseOpenAIErrorText(bodyText);
  return upstreamStatusError(providerName, status, headers, details);
}

/** Maps a non-2xx response to a GatewayError (reads the body). */
export async function openaiStatusError(providerName: string, response: UpstreamResponse): Promise<GatewayError> {
  return openaiErrorFromText(providerName, response.status, response.headers, await readErrorText(response.body));
}

/** Maps the `error` value of a mid-stream data object (or an `event: error` payload) to a GatewayError. */
export function openaiStreamError(providerName: string, errorValue: unknown): GatewayError {
  const { status, ...details } = readOpenAIErrorValue(errorValue);
  return upstreamStatusError(providerName, status ?? 500, {}, details);
}
