import { abortError } from '../../kit/abort.js';
import { decodeServerSentEvents, type ServerSentEvent } from '../../kit/sse-decoder.js';
import {
  GatewayError,
  isGatewayError,
  type CallWarning,
  type ChatEvent,
  type ChatStream,
  type ErrorEvent,
  type FinishEvent,
  type FinishReason,
  type Usage,
} from '../../spec/index.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import { openaiStreamError } from './openai-error.js';
import { argumentsText, readContentParts } from './openai-response.js';
import { convertOpenAIUsage } from './openai-usage.js';

/** What {@link readOpenAIStream} needs besides the body. */
export interface OpenAIStreamOptions {
  providerName: string;
  /** The key under which provider extras (filter results, fingerprint) go in `providerMetadata`. */
  metadataKey: string;
  signal: AbortSignal;
  warnings: CallWarning[];
}

type JsonObject = Record<string, any>;

/**
 * Maps a Chat Completions SSE stream to canonical events. It tolerates what OpenAI-compatible servers do
 * differently: usage inside the last content chunk, no `[DONE]` after a finish_reason, `reasoning_content`
 * or `reasoning` deltas, Mistral's part-list content, Azure's filter-only chunks with empty `choices`.
 * A body that ends with neither `[DONE]` nor any finish_reason was cut: `upstream_connection_error` with the
 * usage seen so far. Never throws: it ends with one `finish` or `error` event and stops reading as soon as
 * the call's signal aborts.
 */
export async function* readOpenAIStream(body: AsyncIterable<Uint8Array>, options: OpenAIStreamOptions): ChatStream {
  const { signal } = options;
  const state = new OpenAIStreamState(options);
  const events = decodeServerSentEvents(body);
  try {
    for (;;) {
      if (signal.aborted) {
        yield state.failure(abortError(signal));
        return;
      }
      let next: IteratorResult<ServerSentEvent>;
      try {
        next = await events.next();
      } catch (error) {
        if (signal.aborted) yield state.failure(abortError(signal));
        else yield state.failure(isGatewayError(error) ? error : new GatewayError('upstream_connection_error', `${options.providerName}: the stream failed while reading`, { cause: error }));
        return;
      }
      if (next.done) {
        yield* state.end();
        return;
      }
      for (const event of state.handle(next.value)) {
        yield event;
        if (state.ended) return;
        // The consumer may have aborted while we were suspended: stop before reading any further.
        if (signal.aborted) break;
      }
      if (state.ended) return;
    }
  } finally {
    // Releases the body (and so the connection) when we end early or the consumer leaves.
    await events.return(undefined).catch(() => undefined);
  }
}

class OpenAIStreamState {
  ended = false;
  private started = false;
  private id: string | undefined;
  private model: string | undefined;
  private created: number | undefined;
  private rawUsage: unknown;
  private readonly finishReasons = new Map<number, FinishReason>();
  private readonly openToolCalls = new Set<string>();
  private readonly metadata: Record<string, unknown> = {};

  constructor(private readonly options: OpenAIStreamOptions) {}

  /** The terminal error event, carrying whatever usage was reported so far. */
  failure(error: GatewayError): ErrorEvent {
    this.ended = true;
    const usage = convertOpenAIUsage(this.rawUsage);
    return usage === undefined ? { type: 'error', error } : { type: 'error', error, usage };
  }

  /** The body ended without `[DONE]`: fine after a finish_reason (many servers omit it), a cut otherwise. */
  end(): ChatEvent[] {
    if (this.finishReasons.size > 0) return [...this.start(), this.finish()];
    return [this.failure(new GatewayError('upstream_connection_error', `${this.options.providerName}: the stream ended before a finish_reason`))];
  }

  handle(serverSentEvent: ServerSentEvent): ChatEvent[] {
    const data = serverSentEvent.data;
    // `[DONE]` is the server saying it is done, even when it never gave a finish_reason (that reads as `other`).
    if (data === '[DONE]') return [...this.start(), this.finish()];
    let chunk: JsonObject;
    try {
      chunk = JSON.parse(data) as JsonObject;
    } catch {
      if (serverSentEvent.event === 'error') return [this.failure(openaiStreamError(this.options.providerName, data))];
      return [this.failure(new GatewayError('upstream_bad_response', `${this.options.providerName} sent a stream event that is not JSON`))];
    }
    if (chunk === null || typeof chunk !== 'object' || Array.isArray(chunk)) {
      return [this.failure(new GatewayError('upstream_bad_response', `${this.options.providerName} sent a stream event that is not an object`))];
    }
    if (serverSentEvent.event === 'error') return [this.failure(openaiStreamError(this.options.providerName, chunk.error ?? chunk))];
    if (chunk.error !== undefined && chunk.error !== null) return [this.failure(openaiStreamError(this.options.providerName, chunk.error))];
    this.remember(chunk);
    const events: ChatEvent[] = [];
    if (Array.isArray(chunk.choices)) {
      chunk.choices.forEach((choice: JsonObject, position: number) => this.onChoice(choice, position, events));
    }
    if (events.length > 0 || (!this.started && this.id !== undefined)) events.unshift(...this.start());
    return events;
  }

  private remember(chunk: JsonObject): void {
    // Azure's first chunk (prompt filter results only) has an empty id and model: keep looking for real ones.
    if (typeof chunk.id === 'string' && chunk.id !== '') this.id ??= chunk.id;
    if (typeof chunk.model === 'string' && chunk.model !== '') this.model ??= chunk.model;
    if (typeof chunk.created === 'number' && chunk.created > 0) this.created ??= chunk.created;
    if (chunk.usage !== undefined && chunk.usage !== null) this.rawUsage = chunk.usage;
    if (typeof chunk.system_fingerprint === 'string' && chunk.system_fingerprint !== '') this.metadata.systemFingerprint = chunk.system_fingerprint;
    if (typeof chunk.service_tier === 'string') this.metadata.serviceTier = chunk.service_tier;
    if (chunk.prompt_filter_results !== undefined) this.metadata.promptFilterResults = chunk.prompt_filter_results;
  }

  private onChoice(choice: JsonObject, position: number, events: ChatEvent[]): void {
    if (choice === null || typeof choice !== 'object') return;
    const index = typeof choice.index === 'number' ? choice.index : position;
    const delta: JsonObject = choice.delta ?? {};
    const parts = Array.isArray(delta.content) ? readContentParts(delta.content) : undefined;
    const reasoning = delta.reasoning_content ?? delta.reasoning ?? parts?.reasoning;
    const content = parts?.text ?? delta.content;
    if (typeof reasoning === 'string' && reasoning !== '') events.push({ type: 'reasoning-delta', choice: index, delta: reasoning });
    if (typeof content === 'string' && content !== '') events.push({ type: 'text-delta', choice: index, delta: content });
    if (typeof delta.refusal === 'string' && delta.refusal !== '') events.push({ type: 'text-delta', choice: index, delta: delta.refusal });
    if (Array.isArray(delta.tool_calls)) {
      delta.tool_calls.forEach((call: JsonObject, callPosition: number) => this.onToolCall(index, call, callPosition, events));
    }
    if (choice.content_filter_results !== undefined) {
      const filters = (this.metadata.contentFilterResults ??= []) as unknown[];
      filters[index] = choice.content_filter_results;
    }
    if (typeof choice.finish_reason === 'string' && choice.finish_reason !== '') {
      this.finishReasons.set(index, mapOpenAIFinishReason(choice.finish_reason));
    }
  }

  private onToolCall(choice: number, call: JsonObject, position: number, events: ChatEvent[]): void {
    if (call === null || typeof call !== 'object') return;
    // Servers that send whole calls in one chunk sometimes omit `index`; their position stands in.
    const index = typeof call.index === 'number' ? call.index : position;
    const key = `${choice}:${index}`;
    const argumentsDelta = argumentsText(call.function?.arguments);
    if (!this.openToolCalls.has(key)) {
      this.openToolCalls.add(key);
      const name = call.function?.name;
      events.push({
        type: 'tool-call-delta',
        choice,
        index,
        id: typeof call.id === 'string' && call.id !== '' ? call.id : `call_${choice}_${index}`,
        name: typeof name === 'string' ? name : '',
        argumentsDelta,
      });
    } else if (argumentsDelta !== '') {
      events.push({ type: 'tool-call-delta', choice, index, argumentsDelta });
    }
  }

  private start(): ChatEvent[] {
    if (this.started) return [];
    this.started = true;
    const event: ChatEvent = { type: 'stream-start', warnings: this.options.warnings };
    if (this.id !== undefined) event.id = this.id;
    if (this.model !== undefined) event.model = this.model;
    if (this.created !== undefined) event.created = this.created;
    return [event];
  }

  private finish(): FinishEvent {
    this.ended = true;
    const indexes = [...this.finishReasons.keys()].sort((left, right) => left - right);
    const finishReason = this.finishReasons.get(0) ?? this.finishReasons.get(indexes[0]) ?? { unified: 'other' };
    const event: FinishEvent = { type: 'finish', finishReason, usage: convertOpenAIUsage(this.rawUsage) ?? ({} satisfies Usage) };
    if (indexes.length > 1) {
      const last = indexes[indexes.length - 1];
      event.choiceFinishReasons = Array.from({ length: last + 1 }, (_, index) => this.finishReasons.get(index) ?? { unified: 'other' });
    }
    if (Object.keys(this.metadata).length > 0) event.providerMetadata = { [this.options.metadataKey]: this.metadata };
    return event;
  }
}
