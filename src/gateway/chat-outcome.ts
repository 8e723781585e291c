import type { ChatEvent, ChatResult } from '../spec/index.js';

/** A non-streaming answer. */
export interface ChatResultOutcome {
  kind: 'result';
  result: ChatResult;
}

/**
 * A stream that has produced its first content (or ended): from here on nothing is retried, and the events
 * go to the client as they come.
 */
export interface ChatStreamOutcome {
  kind: 'stream';
  events: AsyncIterable<ChatEvent>;
}

/** The fast path's complete answer: the provider's own body, which is already in the client's dialect. */
export interface PassthroughResultOutcome {
  kind: 'passthrough-result';
  body: string;
}

/** The fast path's stream: the provider's bytes (tapped), already in the client's dialect. */
export interface PassthroughStreamOutcome {
  kind: 'passthrough-stream';
  chunks: AsyncIterable<Uint8Array | string>;
}

/** What the chat pipeline returns to the HTTP layer. */
export type ChatOutcome = ChatResultOutcome | ChatStreamOutcome | PassthroughResultOutcome | PassthroughStreamOutcome;
