import type { ChatDialect } from '../dialect.js';
import { decodeOpenAIChatRequest } from './decode-openai-chat-request.js';
import { encodeOpenAIChatResult } from './encode-openai-chat-result.js';
import { createOpenAIChatStreamEncoder } from './openai-chat-stream-encoder.js';
import { encodeOpenAIStreamError, renderOpenAIError } from './render-openai-error.js';
import { OpenAIChatPassthroughTap, peekOpenAIChatRequest, summariseOpenAIChatResponse } from './openai-chat-passthrough-tap.js';

/** The OpenAI Chat Completions front API (`POST /v1/chat/completions`). */
export const openaiChatDialect: ChatDialect = {
  id: 'openai-chat',
  decodeRequest: decodeOpenAIChatRequest,
  encodeResult: encodeOpenAIChatResult,
  createStreamEncoder: createOpenAIChatStreamEncoder,
  renderError: renderOpenAIError,
  encodeStreamError: encodeOpenAIStreamError,
  passthrough: {
    createTap: (includeUsage) => new OpenAIChatPassthroughTap(includeUsage),
    summarise: summariseOpenAIChatResponse,
    peek: peekOpenAIChatRequest,
  },
};
