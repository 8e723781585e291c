import { GatewayError, type CallOptions, type Clock, type PassthroughSupport } from '../spec/index.js';
import { readErrorText } from '../kit/json-body.js';
import type { ChatDialect, PassthroughTap } from '../dialects/dialect.js';
import type { ChatOutcome } from './chat-outcome.js';
import type { RequestContext } from './request-context.js';

/** The client's body and dialect, when the fast path may be taken. */
export interface FastPathRequest {
  dialect: ChatDialect;
  /** The client's parsed body, exactly as sent. */
  body: Record<string, unknown>;
}

/**
 * One attempt on the fast path: the client's own body (model replaced; usage always requested from the
 * provider) goes upstream as it is, and the provider's bytes come back as they are. Usage, the finish reason
 * and errors are read on the way for the ledger. Like the canonical path, a stream is read until its first
 * content inside the attempt, so an early failure is still retried.
 */
export async function callPassthrough(
  passthrough: PassthroughSupport,
  providerName: string,
  fastPath: FastPathRequest,
  model: string,
  context: RequestContext,
  call: CallOptions,
  clock: Clock,
  onStreamEnd: (errorCode: string | undefined) => void,
): Promise<ChatOutcome> {
  const body: Record<string, unknown> = { ...fastPath.body, model };
  const clientWantsUsage = context.stream && (fastPath.body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  if (context.stream) body.stream_options = { ...(fastPath.body.stream_options as object | undefined), include_usage: true };
  const response = await passthrough.forward(body, call);
  if (response.status < 200 || response.status >= 300) {
    throw passthrough.readError(response.status, response.headers, await readErrorText(response.body));
  }
  const dialectPassthrough = fastPath.dialect.passthrough!;
  if (!context.stream) {
    const text = await response.body.text();
    const summary = dialectPassthrough.summarise(text);
    if (!summary.isObject) throw new GatewayError('upstream_bad_response', `${providerName} returned a body that is not a JSON object`);
    context.usage = summary.usageObject !== undefined ? passthrough.readUsage(summary.usageObject) : undefined;
    context.finishReason = summary.finishReason;
    return { kind: 'passthrough-result', body: text };
  }
  const tap = dialectPassthrough.createTap(clientWantsUsage);
  const iterator = response.body[Symbol.asyncIterator]();
  const head: Array<Uint8Array | string> = [];
  // Read to the first content: until then a failure is the attempt's, and may be retried elsewhere.
  while (!tap.sawContent && !tap.complete) {
    const step = await iterator.next();
    if (step.done) break;
    const output = tap.transform(step.value);
    if (tap.errorObject !== undefined) {
      await iterator.return?.();
      throw passthrough.readError(500, {}, JSON.stringify({ error: tap.errorObject }));
    }
    if (output.length > 0) head.push(output);
  }
  return { kind: 'passthrough-stream', chunks: tapStream(head, iterator, tap, passthrough, fastPath.dialect, context, clock, onStreamEnd) };
}

async function* tapStream(
  head: Array<Uint8Array | string>,
  iterator: AsyncIterator<Uint8Array>,
  tap: PassthroughTap,
  passthrough: PassthroughSupport,
  dialect: ChatDialect,
  context: RequestContext,
  clock: Clock,
  onStreamEnd: (errorCode: string | undefined) => void,
): AsyncGenerator<Uint8Array | string> {
  const streamStart = clock.monotonic();
  try {
    if (tap.sawContent) context.timeToFirstTokenMs = streamStart - context.startedMonotonic;
    yield* head;
    for (;;) {
      const step = await iterator.next();
      if (step.done) break;
      const output = tap.transform(step.value);
      if (context.timeToFirstTokenMs === undefined && tap.sawContent) context.timeToFirstTokenMs = clock.monotonic() - context.startedMonotonic;
      if (output.length > 0) yield output;
    }
    const rest = tap.end();
    if (rest.length > 0) yield rest;
    if (tap.errorObject !== undefined) {
      context.error = passthrough.readError(500, {}, JSON.stringify({ error: tap.errorObject }));
    } else if (!tap.complete && tap.finishReason === undefined) {
      context.error = new GatewayError('upstream_connection_error', 'The provider ended the stream before it was complete');
      yield dialect.encodeStreamError(context.error, context.requestId);
    }
  } catch (error) {
    context.error = error instanceof GatewayError ? error : new GatewayError('upstream_connection_error', 'The provider stream failed', { cause: error });
    if (!context.signal.aborted) yield dialect.encodeStreamError(context.error, context.requestId);
  } finally {
    context.upstreamMs += clock.monotonic() - streamStart;
    context.usage = tap.usageObject !== undefined ? passthrough.readUsage(tap.usageObject) : undefined;
    if (context.usage === undefined && tap.contentChunks > 0) context.estimatedOutputTokens = tap.contentChunks;
    context.finishReason = tap.finishReason;
    await iterator.return?.();
    onStreamEnd(context.error?.code);
  }
}
