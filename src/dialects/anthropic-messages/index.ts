export { anthropicMessagesDialect } from './anthropic-messages-dialect.js';
export { decodeAnthropicMessagesRequest, decodeAnthropicCountTokensRequest, encodeAnthropicCountTokens } from './decode-anthropic-messages-request.js';
export { encodeAnthropicMessagesResult, parseToolInput } from './encode-anthropic-messages-result.js';
export { AnthropicMessagesStreamEncoder, createAnthropicMessagesStreamEncoder } from './anthropic-messages-stream-encoder.js';
export { renderAnthropicError, encodeAnthropicStreamError } from './render-anthropic-error.js';
export { anthropicModelListEncoder } from './anthropic-model-list-encoder.js';
export { encodeAnthropicUsage, encodeAnthropicDeltaUsage, mapAnthropicStopReason } from './encode-anthropic-usage.js';
export type { AnthropicCacheControlMarker } from './convert-anthropic-messages.js';
