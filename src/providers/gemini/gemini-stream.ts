import { abortError } from '../../kit/abort.js';
import { decodeServerSentEvents } from '../../kit/sse-decoder.js';
import {
  GatewayError,
  isGatewayError,
  type CallWarning,
  type ChatEvent,
  type FinishReason,
  type UpstreamBody,
  type Usage,
} from '../../spec/index.js';
import { isGeminiErrorChunk, geminiStreamError } from './gemini-error.js';
import { convertGeminiParts, geminiMetadata, parseGeminiResponse, promptBlockedError } from './gemini-response.js';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js';
import { convertGeminiUsage } from './gemini-usage.js';
import type { GeminiResponse, GeminiUsageMetadata } from './gemini-wire.js';

/** What the stream reader needs besides the body. */
export interface GeminiStreamOptions {
  providerName: string;
  signal: AbortSignal;
  warnings: CallWarning[];
}

/** Per-choice state: how many calls were seen, whether any, and the last finish reason. */
interface ChoiceState {
  calls: number;
  finishReason?: string;
}

/**
 * Turns a `streamGenerateContent?alt=sse` body into canonical events. Each SSE event is a whole
 * `GenerateContentResponse`; `usageMetadata` is cumulative, so the last one wins. There is no `[DONE]`:
 * the stream ends when the body does, and the one `finish` is emitted then. Never throws.
 */
export async function* readGeminiStream(body: UpstreamBody, options: GeminiStreamOptions): AsyncGenerator<ChatEvent> {
  const { providerName, signal } = options;
  const choices = new Map<number, ChoiceState>();
  let usageMetadata: GeminiUsageMetadata | undefined;
  let lastResponse: GeminiResponse | undefined;
  let started = false;
  const usage = (): Usage => convertGeminiUsage(usageMetadata);
  const start = (response?: GeminiResponse): ChatEvent => {
    started = true;
    const event: ChatEvent = { type: 'stream-start', warnings: options.warnings };
    if (response?.responseId !== undefined) event.id = response.responseId;
    if (response?.modelVersion !== undefined) event.model = response.modelVersion;
    return event;
  };
  const fail = function* (error: GatewayError): Generator<ChatEvent> {
    if (!started) yield start();
    yield { type: 'error', error, usage: usage() };
  };

  try {
    // The abort is checked after every yield: the consumer may abort while we are suspended, and reading
    // on would pull more bytes from a provider nobody listens to any more.
    read: for await (const message of decodeServerSentEvents(body)) {
      if (signal.aborted) break;
      let value: unknown;
      try {
        value = JSON.parse(message.data);
      } catch {
        yield* fail(new GatewayError('upstream_bad_response', `${providerName} sent a stream event that is not JSON`));
        return;
      }
      if (isGeminiErrorChunk(value)) {
        yield* fail(geminiStreamError(providerName, value));
        return;
      }
      const response = parseGeminiResponse(providerName, message.data);
      if (!started) yield start(response);
      if (signal.aborted) break;
      lastResponse = response;
      if (response.usageMetadata !== undefined) usageMetadata = response.usageMetadata;
      const blocked = promptBlockedError(providerName, response);
      if (blocked !== undefined) {
        yield* fail(blocked);
        return;
      }
      for (const [position, candidate] of (response.candidates ?? []).entries()) {
        const choice = candidate.index ?? position;
        const state = choices.get(choice) ?? { calls: 0 };
        choices.set(choice, state);
        for (const part of convertGeminiParts(candidate.content?.parts ?? [], choice, state.calls)) {
          if (signal.aborted) break read;
          if (part.type === 'text') {
            if (part.text !== '') yield { type: 'text-delta', choice, delta: part.text };
          } else if (part.type === 'reasoning') {
            yield { type: 'reasoning-delta', choice, delta: part.text, ...(part.signature === undefined ? {} : { signature: part.signature }) };
          } else {
            // Gemini sends each function call whole, so one delta carries id, name and all arguments.
            yield { type: 'tool-call-delta', choice, index: state.calls, id: part.id, name: part.name, argumentsDelta: part.arguments };
            state.calls++;
          }
          if (signal.aborted) break read;
        }
        if (candidate.finishReason !== undefined) state.finishReason = candidate.finishReason;
      }
    }
  } catch (error) {
    if (!signal.aborted) {
      yield* fail(
        isGatewayError(error)
          ? error
          : new GatewayError('upstream_bad_response', `${providerName} sent a malformed stream`, { cause: error }),
      );
      return;
    }
  }

  if (signal.aborted) {
    yield* fail(abortError(signal));
    return;
  }
  const ordered = [...choices.entries()].sort(([left], [right]) => left - right);
  if (!ordered.some(([, state]) => state.finishReason !== undefined)) {
    yield* fail(new GatewayError('upstream_bad_response', `${providerName} ended the stream without a finish reason`));
    return;
  }
  const reasons: FinishReason[] = ordered.map(([, state]) => mapGeminiFinishReason(state.finishReason, state.calls > 0));
  if (!started) yield start();
  const finish: ChatEvent = { type: 'finish', finishReason: reasons[0], usage: usage() };
  if (reasons.length > 1) finish.choiceFinishReasons = reasons;
  const metadata = lastResponse === undefined ? undefined : geminiMetadata(lastResponse);
  if (metadata !== undefined) finish.providerMetadata = metadata;
  yield finish;
}
