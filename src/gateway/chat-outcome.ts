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

/** What the chat pipeline returns to the HTTP layer. */
export type ChatOutcome = ChatResultOutcome | ChatStreamOutcome;
