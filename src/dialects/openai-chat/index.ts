export { openaiChatDialect } from './openai-chat-dialect.js';
export { decodeOpenAIChatRequest } from './decode-openai-chat-request.js';
export { encodeOpenAIChatResult } from './encode-openai-chat-result.js';
export { OpenAIChatStreamEncoder, createOpenAIChatStreamEncoder } from './openai-chat-stream-encoder.js';
export { renderOpenAIError, encodeOpenAIStreamError, openAIErrorObject } from './render-openai-error.js';
export { encodeOpenAIUsage } from './encode-openai-usage.js';
export { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
