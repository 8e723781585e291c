import { errorCatalog } from '../../spec/index.js';
import type { ErrorCode, GatewayError } from '../../spec/index.js';
import type { RenderedError } from '../dialect.js';
import { formatServerSentEvent } from '../../kit/sse-writer.js';

// The `code` values OpenAI itself uses, where they differ from the catalog's name for the same condition.
const openAICodes: Partial<Record<ErrorCode, string>> = {
  rate_limited: 'rate_limit_exceeded',
  upstream_rate_limited: 'rate_limit_exceeded',
  budget_exceeded: 'insufficient_quota',
  authentication_failed: 'invalid_api_key',
};

/** The OpenAI `{error:{message,type,param,code}}` object (all four keys, as the spec requires). */
export function openAIErrorObject(error: GatewayError): Record<string, unknown> {
  return {
    message: error.message,
    type: errorCatalog[error.code]?.openaiType ?? 'server_error',
    param: error.param ?? null,
    code: openAICodes[error.code] ?? error.code,
  };
}

/**
 * Renders an error as OpenAI does. 529 is Anthropic's private "overloaded" status: OpenAI clients know
 * it as 503, so it never leaks through this dialect.
 */
export function renderOpenAIError(error: GatewayError, _requestId: string): RenderedError {
  return { status: error.status === 529 ? 503 : error.status, body: { error: openAIErrorObject(error) } };
}

/** A mid-stream failure: one `data:` event with the error object and no `[DONE]` (what OpenAI sends). */
export function encodeOpenAIStreamError(error: GatewayError, _requestId: string): string {
  return formatServerSentEvent(JSON.stringify({ error: openAIErrorObject(error) }));
}
