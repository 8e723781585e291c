import type { DecodedChatRequest } from './dialect.js';

/**
 * A decoded request whose canonical part is worked out only when something reads it. The fast path needs
 * just the model and the stream flags; the full decode runs if the request must be converted after all (a
 * fallback to a provider of another wire, a usage estimate), and its validation error surfaces there.
 */
export function lazyDecodedChatRequest(
  peeked: { model: string; stream: boolean; includeUsage: boolean; maxOutputTokens?: number },
  decode: () => DecodedChatRequest,
): DecodedChatRequest {
  let full: DecodedChatRequest | undefined;
  const decoded = () => (full ??= decode());
  return {
    model: peeked.model,
    stream: peeked.stream,
    includeUsage: peeked.includeUsage,
    peeked: { maxOutputTokens: peeked.maxOutputTokens },
    get request() {
      return decoded().request;
    },
    get warnings() {
      return decoded().warnings;
    },
  };
}
