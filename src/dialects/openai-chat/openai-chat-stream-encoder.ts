import type { ChatEvent, FinishEvent, StreamStartEvent } from '../../spec/index.js';
import type { EncodeContext, StreamEncoder } from '../dialect.js';
import { encodeOpenAIUsage } from './encode-openai-usage.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import { encodeOpenAIStreamError } from './render-openai-error.js';
import { toGatewayError } from '../../spec/index.js';

const roleDelta = '{"role":"assistant","content":"","refusal":null}';
const doneLine = 'data: [DONE]\n\n';

/**
 * Encodes canonical stream events as OpenAI `chat.completion.chunk` SSE lines. Every chunk shares the same
 * head (`id`, `object`, `created`, `model`) and tail (`usage: null` when the client asked for usage), so
 * both are serialised once and only the choice is built per event: this runs once per token.
 */
export class OpenAIChatStreamEncoder implements StreamEncoder {
  private head: string | undefined;
  private readonly tail: string;
  private readonly startedChoices = new Set<number>();
  private readonly startedToolCalls = new Map<number, Set<number>>();
  private finished = false;

  constructor(private readonly context: EncodeContext) {
    this.tail = context.includeUsage ? '],"usage":null}\n\n' : ']}\n\n';
  }

  encode(event: ChatEvent): string {
    if (this.finished) return '';
    switch (event.type) {
      case 'stream-start':
        this.head ??= this.buildHead(event);
        return this.startChoice(0);
      case 'text-delta':
        if (event.delta === '') return this.startChoice(event.choice);
        return this.startChoice(event.choice) + this.chunk(event.choice, `{"content":${JSON.stringify(event.delta)}}`);
      case 'reasoning-delta':
        // OpenAI's wire has no place for a reasoning signature; only the text is sent.
        if (event.delta === '') return this.startChoice(event.choice);
        return this.startChoice(event.choice) + this.chunk(event.choice, `{"reasoning_content":${JSON.stringify(event.delta)}}`);
      case 'tool-call-delta':
        return this.startChoice(event.choice) + this.toolCallChunk(event.choice, event.index, event.id, event.name, event.argumentsDelta);
      case 'finish':
        this.finished = true;
        return this.finish(event);
      case 'error':
        this.finished = true;
        return encodeOpenAIStreamError(toGatewayError(event.error), this.context.requestId);
    }
  }

  private buildHead(start?: StreamStartEvent): string {
    const id = start?.id ?? `chatcmpl-${this.context.requestId}`;
    return `data: {"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${this.context.created},"model":${JSON.stringify(this.context.model)},"choices":[`;
  }

  private chunk(choice: number, delta: string, finishReason: string | null = null): string {
    this.head ??= this.buildHead();
    const finish = finishReason === null ? 'null' : `"${finishReason}"`;
    return `${this.head}{"index":${choice},"delta":${delta},"logprobs":null,"finish_reason":${finish}}${this.tail}`;
  }

  /** OpenAI opens each choice with a chunk carrying the role and empty content. */
  private startChoice(choice: number): string {
    if (this.startedChoices.has(choice)) return '';
    this.startedChoices.add(choice);
    return this.chunk(choice, roleDelta);
  }

  private toolCallChunk(choice: number, index: number, id: string | undefined, name: string | undefined, argumentsDelta: string): string {
    let started = this.startedToolCalls.get(choice);
    if (started === undefined) {
      started = new Set();
      this.startedToolCalls.set(choice, started);
    }
    let call: string;
    if (started.has(index)) {
      if (argumentsDelta === '') return '';
      call = `{"index":${index},"function":{"arguments":${JSON.stringify(argumentsDelta)}}}`;
    } else {
      started.add(index);
      // id, type and name go only on a call's first fragment; clients concatenate the arguments by index.
      const callId = id ?? `call_${this.context.requestId}_${choice}_${index}`;
      call = `{"index":${index},"id":${JSON.stringify(callId)},"type":"function","function":{"name":${JSON.stringify(name ?? '')},"arguments":${JSON.stringify(argumentsDelta)}}}`;
    }
    return this.chunk(choice, `{"tool_calls":[${call}]}`);
  }

  private finish(event: FinishEvent): string {
    const choices = new Set([0, ...this.startedChoices]);
    event.choiceFinishReasons?.forEach((_, choice) => choices.add(choice));
    let text = '';
    for (const choice of [...choices].sort((a, b) => a - b)) {
      const reason = event.choiceFinishReasons?.[choice] ?? event.finishReason;
      text += this.startChoice(choice) + this.chunk(choice, '{}', mapOpenAIFinishReason(reason));
    }
    if (this.context.includeUsage) {
      this.head ??= this.buildHead();
      text += `${this.head}],"usage":${JSON.stringify(encodeOpenAIUsage(event.usage))}}\n\n`;
    }
    return text + doneLine;
  }
}

/** Creates the stream encoder for one OpenAI chat stream. */
export function createOpenAIChatStreamEncoder(context: EncodeContext): StreamEncoder {
  return new OpenAIChatStreamEncoder(context);
}
