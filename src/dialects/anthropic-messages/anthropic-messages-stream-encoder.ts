import { toGatewayError } from '../../spec/index.js';
import type { ChatEvent, FinishEvent, StreamStartEvent } from '../../spec/index.js';
import type { EncodeContext, StreamEncoder } from '../dialect.js';
import { anthropicMessageId, encodeAnthropicDeltaUsage, mapAnthropicStopReason } from './encode-anthropic-usage.js';
import { encodeAnthropicStreamError } from './render-anthropic-error.js';

type OpenBlock = { kind: 'text' } | { kind: 'thinking' } | { kind: 'tool'; index: number };

const messageStop = 'event: message_stop\ndata: {"type":"message_stop"}\n\n';

/**
 * Encodes canonical stream events as Anthropic Messages SSE: `message_start`, then one content block per run
 * of text, thinking or one tool call (a new block starts whenever the kind or the tool index changes), then
 * `message_delta` with the stop reason and cumulative usage, and `message_stop`. Only choice 0 is sent:
 * Anthropic has no `n`. Input usage is unknown at `message_start` (the canonical stream reports usage at
 * the end), so it reads 0 there and the real figures arrive in `message_delta`, which the SDKs merge.
 */
export class AnthropicMessagesStreamEncoder implements StreamEncoder {
  private started = false;
  private finished = false;
  private open: OpenBlock | undefined;
  private blockIndex = -1;
  private readonly closedTools = new Set<number>();

  constructor(private readonly context: EncodeContext) {}

  encode(event: ChatEvent): string {
    if (this.finished) return '';
    switch (event.type) {
      case 'stream-start':
        return this.start(event);
      case 'text-delta':
        if (event.choice !== 0 || event.delta === '') return this.start();
        return this.start() + this.switchTo({ kind: 'text' }) + this.delta(`{"type":"text_delta","text":${JSON.stringify(event.delta)}}`);
      case 'reasoning-delta': {
        if (event.choice !== 0) return this.start();
        let text = this.start() + this.switchTo({ kind: 'thinking' });
        if (event.delta !== '') text += this.delta(`{"type":"thinking_delta","thinking":${JSON.stringify(event.delta)}}`);
        if (event.signature !== undefined) text += this.delta(`{"type":"signature_delta","signature":${JSON.stringify(event.signature)}}`);
        return text;
      }
      case 'tool-call-delta': {
        if (event.choice !== 0) return this.start();
        let text = this.start();
        if (this.open?.kind !== 'tool' || this.open.index !== event.index) {
          text += this.closeBlock();
          text += this.openTool(event.index, event.id, event.name);
        }
        if (event.argumentsDelta !== '') text += this.delta(`{"type":"input_json_delta","partial_json":${JSON.stringify(event.argumentsDelta)}}`);
        return text;
      }
      case 'finish':
        this.finished = true;
        return this.start() + this.closeBlock() + this.finish(event);
      case 'error':
        this.finished = true;
        return encodeAnthropicStreamError(toGatewayError(event.error), this.context.requestId);
    }
  }

  private start(event?: StreamStartEvent): string {
    if (this.started) return '';
    this.started = true;
    const message = {
      id: anthropicMessageId(event?.id, this.context.requestId),
      type: 'message',
      role: 'assistant',
      model: this.context.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: null, cache_read_input_tokens: null },
    };
    return `event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message })}\n\n`;
  }

  private delta(delta: string): string {
    return `event: content_block_delta\ndata: {"type":"content_block_delta","index":${this.blockIndex},"delta":${delta}}\n\n`;
  }

  private switchTo(block: { kind: 'text' } | { kind: 'thinking' }): string {
    if (this.open?.kind === block.kind) return '';
    const text = this.closeBlock();
    this.open = block;
    this.blockIndex++;
    const contentBlock = block.kind === 'text' ? '{"type":"text","text":""}' : '{"type":"thinking","thinking":"","signature":""}';
    return `${text}event: content_block_start\ndata: {"type":"content_block_start","index":${this.blockIndex},"content_block":${contentBlock}}\n\n`;
  }

  private openTool(index: number, id: string | undefined, name: string | undefined): string {
    // A call whose block was already closed cannot be reopened on this wire; its late fragments get a new block.
    const toolId = id ?? `toolu_${this.context.requestId}_${index}${this.closedTools.has(index) ? `_${this.blockIndex + 1}` : ''}`;
    this.open = { kind: 'tool', index };
    this.blockIndex++;
    const contentBlock = JSON.stringify({ type: 'tool_use', id: toolId, name: name ?? '', input: {} });
    return `event: content_block_start\ndata: {"type":"content_block_start","index":${this.blockIndex},"content_block":${contentBlock}}\n\n`;
  }

  private closeBlock(): string {
    if (this.open === undefined) return '';
    if (this.open.kind === 'tool') this.closedTools.add(this.open.index);
    this.open = undefined;
    return `event: content_block_stop\ndata: {"type":"content_block_stop","index":${this.blockIndex}}\n\n`;
  }

  private finish(event: FinishEvent): string {
    const messageDelta = {
      type: 'message_delta',
      delta: { stop_reason: mapAnthropicStopReason(event.finishReason), stop_sequence: null },
      usage: encodeAnthropicDeltaUsage(event.usage),
    };
    return `event: message_delta\ndata: ${JSON.stringify(messageDelta)}\n\n${messageStop}`;
  }
}

/** Creates the stream encoder for one Anthropic Messages stream. */
export function createAnthropicMessagesStreamEncoder(context: EncodeContext): StreamEncoder {
  return new AnthropicMessagesStreamEncoder(context);
}
