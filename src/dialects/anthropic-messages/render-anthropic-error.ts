import { errorCatalog } from '../../spec/index.js';
import type { GatewayError } from '../../spec/index.js';
import type { RenderedError } from '../dialect.js';
import { formatServerSentEvent } from '../../kit/sse-writer.js';

function errorBody(error: GatewayError, requestId: string): Record<string, unknown> {
  return {
    type: 'error',
    error: { type: errorCatalog[error.code]?.anthropicType ?? 'api_error', message: error.message },
    request_id: requestId,
  };
}

/** Renders an error as Anthropic does; the status is kept as is (529 is Anthropic's own "overloaded"). */
export function renderAnthropicError(error: GatewayError, requestId: string): RenderedError {
  return { status: error.status, body: errorBody(error, requestId) };
}

/** A mid-stream failure: `event: error` with the same body. */
export function encodeAnthropicStreamError(error: GatewayError, requestId: string): string {
  return formatServerSentEvent(JSON.stringify(errorBody(error, requestId)), 'error');
}
