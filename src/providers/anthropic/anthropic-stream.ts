import { abortError } from '../../kit/abort.js';
import { decodeServerSentEvents, type ServerSentEvent } from '../../kit/sse-decoder.js';
import { GatewayError, isGatewayError, type CallWarning, type ChatEvent, type ErrorEvent, type FinishReason, type Usage } from '../../spec/index.js';
import { anthropicStreamError } from './anthropic-error.js';
import { anthropicStreamEventSchemas, isReadStreamEventType, type AnthropicStreamEvent } from './anthropic-stream-schema.js';
import { convertAnthropicUsage, overlayAnthropicUsage, type AnthropicUsage } from './anthropic-usage.js';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';

/** What {@link readAnthropicStream} needs. */
export interface AnthropicStreamOptions {
  providerName: string;
  body: AsyncIterable<Uint8Array>;
  signal: AbortSignal;
  warnings: CallWarning[];
}

interface OpenBlock {
  type: string;
  /** For tool_use blocks: the call's ordinal among the message's tool calls. */
  toolIndex?: number;
  /** For tool_use blocks: whether any argument text was sent yet. */
  sentArguments?: boolean;
}

/**
 * Maps Anthropic's SSE stream (message_start, content_block_*, message_delta, message_stop, ping, error) to
 * canonical events. Never throws: it ends with exactly one `finish` or `error` event, and stops reading as
 * soon as the call's signal aborts.
 */
export async function* readAnthropicStream(options: AnthropicStreamOptions): AsyncGenerator<ChatEvent> {
  const state = new AnthropicStreamState(options.providerName, options.warnings);
  const { signal } = options;
  try {
    for await (const serverSentEvent of decodeServerSentEvents(options.body)) {
      if (signal.aborted) break;
      for (const event of state.handle(serverSentEvent)) {
        yield event;
        // The consumer may have aborted while we were suspended: stop before reading any further.
        if (signal.aborted && !state.ended) break;
      }
      if (state.ended || signal.aborted) break;
    }
  } catch (error) {
    if (!signal.aborted) {
      yield state.failure(isGatewayError(error) ? error : new GatewayError('upstream_connection_error', 'The stream from the provider failed', { cause: error }));
      return;
    }
  }
  if (state.ended) return;
  if (signal.aborted) yield state.failure(abortError(signal));
  else yield state.failure(new GatewayError('upstream_connection_error', `${options.providerName}: the stream ended before message_stop`));
}

class AnthropicStreamState {
  ended = false;
  private started = false;
  private startUsage: AnthropicUsage | undefined;
  private deltaUsage: AnthropicUsage | undefined;
  private stopReason: string | null | undefined;
  private stopSequence: string | null | undefined;
  private readonly blocks = new Map<number, OpenBlock>();
  private toolCount = 0;

  constructor(
    private readonly providerName: string,
    private readonly warnings: CallWarning[],
  ) {}

  /** The terminal error event, carrying whatever usage was reported so far. */
  failure(error: GatewayError): ErrorEvent {
    this.ended = true;
    const usage = this.usage();
    return usage === undefined ? { type: 'error', error } : { type: 'error', error, usage };
  }

  handle(serverSentEvent: ServerSentEvent): ChatEvent[] {
    if (serverSentEvent.event === 'error') return [this.failure(anthropicStreamError(this.providerName, serverSentEvent.data))];
    let json: unknown;
    try {
      json = JSON.parse(serverSentEvent.data);
    } catch {
      return [this.failure(this.badEvent('is not JSON'))];
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) return [this.failure(this.badEvent('is not an object'))];
    // The `event:` line and `data.type` agree on Anthropic's wire; `data.type` is what the SDK reads.
    const declared = (json as { type?: unknown }).type;
    const type = typeof declared === 'string' ? declared : (serverSentEvent.event ?? '');
    if (type === 'error') return [this.failure(anthropicStreamError(this.providerName, serverSentEvent.data))];
    if (type === 'message_stop') return [...this.start(), this.finish()];
    // `ping`, and event types added later, carry nothing the canonical stream needs.
    if (!isReadStreamEventType(type)) return [];
    const parsed = anthropicStreamEventSchemas[type].safeParse(json);
    if (!parsed.success) return [this.failure(this.badEvent(`${type} does not match the Messages API`))];
    switch (type) {
      case 'message_start':
        return this.onMessageStart(parsed.data as AnthropicStreamEvent<'message_start'>);
      case 'content_block_start':
        return this.onBlockStart(parsed.data as AnthropicStreamEvent<'content_block_start'>);
      case 'content_block_delta':
        return this.onBlockDelta(parsed.data as AnthropicStreamEvent<'content_block_delta'>);
      case 'content_block_stop':
        return this.onBlockStop(parsed.data as AnthropicStreamEvent<'content_block_stop'>);
      case 'message_delta':
        return this.onMessageDelta(parsed.data as AnthropicStreamEvent<'message_delta'>);
    }
  }

  private badEvent(problem: string): GatewayError {
    return new GatewayError('upstream_bad_response', `${this.providerName} sent a stream event that ${problem}`);
  }

  private onMessageDelta(data: AnthropicStreamEvent<'message_delta'>): ChatEvent[] {
    this.stopReason = data.delta?.stop_reason ?? this.stopReason;
    this.stopSequence = data.delta?.stop_sequence ?? this.stopSequence;
    this.deltaUsage = data.usage ?? this.deltaUsage;
    return [];
  }

  private onMessageStart(data: AnthropicStreamEvent<'message_start'>): ChatEvent[] {
    const message = data.message;
    this.startUsage = message.usage ?? undefined;
    if (this.started) return [];
    this.started = true;
    return [
      {
        type: 'stream-start',
        ...(message.id !== undefined ? { id: message.id } : {}),
        ...(message.model !== undefined ? { model: message.model } : {}),
        warnings: this.warnings,
      },
    ];
  }

  private onBlockStart(data: AnthropicStreamEvent<'content_block_start'>): ChatEvent[] {
    const block = data.content_block;
    const index = data.index;
    const events = this.start();
    if (block.type === 'tool_use') {
      const toolIndex = this.toolCount++;
      this.blocks.set(index, { type: 'tool_use', toolIndex, sentArguments: false });
      events.push({ type: 'tool-call-delta', choice: 0, index: toolIndex, id: block.id ?? '', name: block.name ?? '', argumentsDelta: '' });
      return events;
    }
    this.blocks.set(index, { type: block.type });
    if (block.type === 'text' && typeof block.text === 'string' && block.text !== '') {
      events.push({ type: 'text-delta', choice: 0, delta: block.text });
    } else if (block.type === 'thinking' && typeof block.thinking === 'string' && block.thinking !== '') {
      events.push({ type: 'reasoning-delta', choice: 0, delta: block.thinking });
    }
    return events;
  }

  private onBlockDelta(data: AnthropicStreamEvent<'content_block_delta'>): ChatEvent[] {
    const delta = data.delta;
    const events = this.start();
    if (delta.type === 'text_delta' && typeof delta.text === 'string') {
      events.push({ type: 'text-delta', choice: 0, delta: delta.text });
    } else if (delta.type === 'input_json_delta' && typeof delta.partial_json === 'string') {
      const block = this.blocks.get(data.index);
      if (block?.toolIndex !== undefined && delta.partial_json !== '') {
        block.sentArguments = true;
        events.push({ type: 'tool-call-delta', choice: 0, index: block.toolIndex, argumentsDelta: delta.partial_json });
      }
    } else if (delta.type === 'thinking_delta' && typeof delta.thinking === 'string') {
      events.push({ type: 'reasoning-delta', choice: 0, delta: delta.thinking });
    } else if (delta.type === 'signature_delta' && typeof delta.signature === 'string') {
      events.push({ type: 'reasoning-delta', choice: 0, delta: '', signature: delta.signature });
    }
    return events;
  }

  private onBlockStop(data: AnthropicStreamEvent<'content_block_stop'>): ChatEvent[] {
    const block = this.blocks.get(data.index);
    // A call without arguments sends no input_json_delta; its arguments are still the JSON text `{}`.
    if (block?.toolIndex !== undefined && block.sentArguments === false) {
      block.sentArguments = true;
      return [{ type: 'tool-call-delta', choice: 0, index: block.toolIndex, argumentsDelta: '{}' }];
    }
    return [];
  }

  /** A stream-start, if none was sent yet (a stream that skipped message_start still starts with one). */
  private start(): ChatEvent[] {
    if (this.started) return [];
    this.started = true;
    return [{ type: 'stream-start', warnings: this.warnings }];
  }

  private finish(): ChatEvent {
    this.ended = true;
    const finishReason: FinishReason = mapAnthropicFinishReason(this.stopReason);
    return {
      type: 'finish',
      finishReason,
      usage: this.usage() ?? {},
      ...(typeof this.stopSequence === 'string' ? { providerMetadata: { anthropic: { stopSequence: this.stopSequence } } } : {}),
    };
  }

  private usage(): Usage | undefined {
    const merged = overlayAnthropicUsage(this.startUsage, this.deltaUsage);
    return merged === undefined ? undefined : convertAnthropicUsage(merged);
  }
}
