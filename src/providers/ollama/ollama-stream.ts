import { GatewayError, isGatewayError, type CallWarning, type ChatEvent, type ChatStream, type UpstreamBody, type Usage } from '../../spec/index.js';
import { abortError } from '../../kit/abort.js';
import { decodeNdjson } from '../../kit/ndjson-decoder.js';
import { mapOllamaFinishReason } from './map-ollama-finish-reason.js';
import { ollamaStreamLineError } from './ollama-error.js';
import { convertOllamaUsage } from './ollama-usage.js';
import { ollamaChatChunkSchema, ollamaErrorMessage, type OllamaChatChunk, type OllamaToolCall } from './ollama-wire.js';

/** What the stream needs besides the body. */
export interface OllamaStreamOptions {
  providerName: string;
  signal: AbortSignal;
  warnings: CallWarning[];
}

/**
 * Turns an `/api/chat` NDJSON body into canonical events. Ollama sends one JSON object per line, usage only
 * on the `done:true` line, and tool calls whole (one line carries complete calls), so each call becomes a
 * single `tool-call-delta`. Never throws: every failure, including an abort, ends the stream with one
 * `error` event.
 */
export async function* createOllamaChatStream(body: UpstreamBody, options: OllamaStreamOptions): ChatStream {
  const { providerName, signal } = options;
  let started = false;
  let toolCallCount = 0;
  const start = (chunk: OllamaChatChunk | undefined): ChatEvent => {
    started = true;
    return { type: 'stream-start', model: chunk?.model, created: createdSeconds(chunk?.created_at), warnings: options.warnings };
  };
  const fail = (error: GatewayError): ChatEvent => ({ type: 'error', error, usage: {} satisfies Usage });

  const lines = decodeNdjson(body);
  try {
    for (;;) {
      if (signal.aborted) {
        yield fail(abortError(signal));
        return;
      }
      let next: IteratorResult<unknown>;
      try {
        next = await lines.next();
      } catch (error) {
        if (signal.aborted) yield fail(abortError(signal));
        else if (isGatewayError(error)) yield fail(error);
        else if (error instanceof SyntaxError) yield fail(new GatewayError('upstream_bad_response', `${providerName} sent a stream line that is not JSON`, { cause: error }));
        else yield fail(new GatewayError('upstream_connection_error', `${providerName}: the stream failed while reading`, { cause: error }));
        return;
      }
      if (next.done) {
        // The official client throws here too ("Did not receive done or success response in stream.").
        yield fail(new GatewayError('upstream_connection_error', `${providerName}: the stream ended before the final (done) line`));
        return;
      }
      const errorMessage = ollamaErrorMessage(next.value);
      if (errorMessage !== undefined) {
        yield fail(ollamaStreamLineError(providerName, errorMessage));
        return;
      }
      const parsed = ollamaChatChunkSchema.safeParse(next.value);
      if (!parsed.success) {
        yield fail(new GatewayError('upstream_bad_response', `${providerName} sent a stream line that is not a chat chunk`));
        return;
      }
      const chunk = parsed.data;
      if (!started) yield start(chunk);
      const message = chunk.message;
      if (message?.thinking) yield { type: 'reasoning-delta', choice: 0, delta: message.thinking };
      if (message?.content) yield { type: 'text-delta', choice: 0, delta: message.content };
      for (const call of message?.tool_calls ?? []) {
        yield toolCallEvent(call, toolCallCount);
        toolCallCount++;
      }
      if (chunk.done === true) {
        yield {
          type: 'finish',
          finishReason: mapOllamaFinishReason(chunk.done_reason, toolCallCount > 0),
          usage: convertOllamaUsage(chunk),
        };
        return;
      }
    }
  } finally {
    // Stops the body (and so the connection) when the consumer leaves early or we end on done/error.
    await lines.return(undefined).catch(() => undefined);
  }
}

/** Ollama gives calls no ids (or ids only newer servers send), so ids are made stable by position. */
export function toolCallId(call: OllamaToolCall, position: number): string {
  return call.id !== undefined && call.id !== '' ? call.id : `call_${position}`;
}

/** The JSON text of a call's arguments (Ollama sends an object). */
export function toolCallArguments(call: OllamaToolCall): string {
  const value = call.function.arguments;
  if (value === undefined) return '{}';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function toolCallEvent(call: OllamaToolCall, position: number): ChatEvent {
  return {
    type: 'tool-call-delta',
    choice: 0,
    index: position,
    id: toolCallId(call, position),
    name: call.function.name,
    argumentsDelta: toolCallArguments(call),
  };
}

/** Unix seconds of an RFC 3339 timestamp with nanoseconds (`2025-10-17T23:14:07.414671Z`), if readable. */
export function createdSeconds(createdAt: string | undefined): number | undefined {
  if (createdAt === undefined) return undefined;
  const milliseconds = Date.parse(createdAt);
  return Number.isFinite(milliseconds) ? Math.floor(milliseconds / 1000) : undefined;
}
