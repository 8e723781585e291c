import type { ChatDialect } from '../dialect.js';
import { createAnthropicMessagesStreamEncoder } from './anthropic-messages-stream-encoder.js';
import { decodeAnthropicMessagesRequest } from './decode-anthropic-messages-request.js';
import { encodeAnthropicMessagesResult } from './encode-anthropic-messages-result.js';
import { encodeAnthropicStreamError, renderAnthropicError } from './render-anthropic-error.js';

/** The Anthropic Messages front API (`POST /v1/messages`). */
export const anthropicMessagesDialect: ChatDialect = {
  id: 'anthropic-messages',
  decodeRequest: decodeAnthropicMessagesRequest,
  encodeResult: encodeAnthropicMessagesResult,
  createStreamEncoder: createAnthropicMessagesStreamEncoder,
  renderError: renderAnthropicError,
  encodeStreamError: encodeAnthropicStreamError,
};
