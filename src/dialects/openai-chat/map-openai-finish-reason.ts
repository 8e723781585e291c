import type { FinishReason } from '../../spec/index.js';

/** The OpenAI `finish_reason` values a chat completion can carry. */
export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/** Unified finish reason -> OpenAI's; `error` and `other` have no OpenAI value and read as `stop`. */
export function mapOpenAIFinishReason(reason: FinishReason): OpenAIFinishReason {
  switch (reason.unified) {
    case 'length':
      return 'length';
    case 'tool-calls':
      return 'tool_calls';
    case 'content-filter':
      return 'content_filter';
    default:
      return 'stop';
  }
}
