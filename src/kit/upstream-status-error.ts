import { GatewayError, type ErrorCode } from '../spec/index.js';
import { parseRetryAfter } from './retry-after.js';

/** What an adapter learnt from a provider's error body. */
export interface UpstreamErrorDetails {
  message: string;
  /** The provider's own type or code (`rate_limit_exceeded`, `overloaded_error`, `RESOURCE_EXHAUSTED`). */
  upstreamCode?: string;
  /** Seconds to wait, when the body says (Gemini's RetryInfo); headers are read here too. */
  retryAfterSeconds?: number;
  /** Set when the body shows the prompt was too long for the model. */
  contextLengthExceeded?: boolean;
  /** Set when the provider's content filter blocked the request. */
  contentFiltered?: boolean;
}

const contextOverflowPattern = /context[_ ]length|context window|maximum context|too many tokens|prompt is too long|input is too long|exceeds the (maximum|context)/i;

/** True when an upstream error message says the prompt does not fit the model. */
export function looksLikeContextOverflow(message: string): boolean {
  return contextOverflowPattern.test(message);
}

/**
 * Maps a provider's HTTP error status to a GatewayError in the catalog. The provider's message is passed on
 * for 4xx (it tells the client what to fix) and summarised for 5xx; credentials never appear in it because
 * adapters build `details.message` from the response body only.
 */
export function upstreamStatusError(
  providerName: string,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  details: UpstreamErrorDetails,
): GatewayError {
  const retryAfterSeconds = details.retryAfterSeconds ?? parseRetryAfter(headers);
  const common = { upstreamStatus: status, upstreamCode: details.upstreamCode, retryAfterSeconds };
  const message = `${providerName}: ${details.message}`;
  let code: ErrorCode;
  if (details.contextLengthExceeded || ((status === 400 || status === 413) && looksLikeContextOverflow(details.message))) {
    code = 'context_length_exceeded';
  } else if (details.contentFiltered) {
    code = 'content_filtered';
  } else if (status === 401 || status === 403) {
    // Providers echo parts of the rejected key in these messages: never pass them on.
    return new GatewayError('upstream_authentication_failed', `${providerName}: the provider rejected the gateway's credentials (${status}); check the provider's API key in the gateway's configuration`, common);
  } else if (status === 404) {
    return new GatewayError('model_not_found', message, { ...common, status: 404 });
  } else if (status === 408) {
    code = 'upstream_timeout';
  } else if (status === 429) {
    code = 'upstream_rate_limited';
  } else if (status === 503 || status === 529) {
    code = 'upstream_unavailable';
  } else if (status === 504) {
    code = 'upstream_timeout';
  } else if (status >= 500) {
    code = 'upstream_error';
  } else if (status === 413) {
    code = 'request_too_large';
  } else {
    return new GatewayError('upstream_rejected', message, { ...common, status: status === 409 || status === 422 ? status : 400 });
  }
  return new GatewayError(code, message, common);
}
