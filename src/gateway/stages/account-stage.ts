import { GatewayError, toGatewayError, type ChatEvent } from '../../spec/index.js';
import { abortError } from '../../kit/abort.js';
import type { ChatOutcome } from '../chat-outcome.js';
import { recordRequest, type AccountDependencies } from '../ledger-recorder.js';
import { textOfEventStream, textOfWireBody } from '../wire-text.js';
import type { Stage } from '../pipeline.js';
import type { RequestContext } from '../request-context.js';

/**
 * The outermost stage: whatever happens inside (success, error, client abort), it writes exactly one ledger
 * row and records metrics. For a stream it does so when the stream ends, so partial usage is kept.
 */
export function createChatAccountStage(dependencies: AccountDependencies): Stage<ChatOutcome> {
  // Decided once: a forwarded stream keeps its chunks only when an observer reads the answer's text.
  const keepStreamText = dependencies.observers?.some((observer) => observer.readsOutputText === true) ?? false;
  return async (context, next) => {
    let outcome: ChatOutcome;
    try {
      outcome = await next();
    } catch (error) {
      context.error = toGatewayError(error);
      recordRequest(dependencies, context);
      throw context.error;
    }
    if (outcome.kind === 'passthrough-result') {
      const body = outcome.body;
      recordRequest(dependencies, context, () => textOfWireBody(body));
      return outcome;
    }
    if (outcome.kind === 'passthrough-stream') {
      return { kind: 'passthrough-stream', chunks: accountPassthroughStream(dependencies, context, outcome.chunks, keepStreamText) };
    }
    if (outcome.kind === 'result') {
      const result = outcome.result;
      context.usage = result.usage;
      context.finishReason = result.choices[0]?.finishReason.raw ?? result.choices[0]?.finishReason.unified;
      recordRequest(dependencies, context, () => resultText(result.choices));
      return outcome;
    }
    return { kind: 'stream', events: accountStream(dependencies, context, outcome.events) };
  };
}

async function* accountStream(dependencies: AccountDependencies, context: RequestContext, events: AsyncIterable<ChatEvent>): AsyncGenerator<ChatEvent> {
  const text: string[] = [];
  let ended = false;
  try {
    for await (const event of events) {
      switch (event.type) {
        case 'text-delta':
        case 'reasoning-delta':
          if (context.timeToFirstTokenMs === undefined) context.timeToFirstTokenMs = dependencies.clock.monotonic() - context.startedMonotonic;
          text.push(event.delta);
          break;
        case 'tool-call-delta':
          if (context.timeToFirstTokenMs === undefined) context.timeToFirstTokenMs = dependencies.clock.monotonic() - context.startedMonotonic;
          text.push(event.argumentsDelta, event.name ?? '');
          break;
        case 'finish':
          context.usage = event.usage;
          context.finishReason = event.finishReason.raw ?? event.finishReason.unified;
          ended = true;
          break;
        case 'error':
          context.usage = event.usage;
          context.error = event.error;
          ended = true;
          break;
      }
      yield event;
    }
  } finally {
    if (!ended && context.error === undefined) {
      // The consumer stopped early: the client went away (or the total timeout fired).
      context.error = context.signal.aborted ? abortError(context.signal) : new GatewayError('client_closed_request', 'The client stopped reading the stream');
    }
    recordRequest(dependencies, context, () => text.join(''));
  }
}

async function* accountPassthroughStream(
  dependencies: AccountDependencies,
  context: RequestContext,
  chunks: AsyncIterable<Uint8Array | string>,
  keepText: boolean,
): AsyncGenerator<Uint8Array | string> {
  let ended = false;
  // Kept only when an observer reads the answer's text (payload capture); read after the stream ends.
  const sent: Array<Uint8Array | string> | undefined = keepText ? [] : undefined;
  try {
    if (sent === undefined) {
      yield* chunks;
    } else {
      for await (const chunk of chunks) {
        sent.push(chunk);
        yield chunk;
      }
    }
    ended = true;
  } finally {
    // The tap (inner) has already filled usage, finish reason and any provider error.
    if (!ended && context.error === undefined) {
      context.error = context.signal.aborted ? abortError(context.signal) : new GatewayError('client_closed_request', 'The client stopped reading the stream');
    }
    recordRequest(dependencies, context, sent === undefined ? undefined : () => textOfEventStream(sent));
  }
}

function resultText(choices: ReadonlyArray<{ content: ReadonlyArray<{ type: string; text?: string; arguments?: string; name?: string }> }>): string {
  let text = '';
  for (const choice of choices) {
    for (const part of choice.content) text += part.text ?? `${part.name ?? ''}${part.arguments ?? ''}`;
  }
  return text;
}

