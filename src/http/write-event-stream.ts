import type { ServerResponse } from 'node:http';
import { toGatewayError, type ChatEvent } from '../spec/index.js';
import type { ChatDialect, EncodeContext } from '../dialects/dialect.js';
import { withoutSecrets } from './error-response.js';

/** Resolves when the socket can take more (or is gone), so a slow client slows the upstream read too. */
function waitForDrain(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

const eventStreamHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

/**
 * Writes the fast path's stream: the provider's SSE bytes (already in the client's dialect and tapped by the
 * gateway), chunk by chunk with backpressure.
 */
export async function writeByteStream(response: ServerResponse, chunks: AsyncIterable<Uint8Array | string>, extraHeaders: Record<string, string>): Promise<void> {
  response.writeHead(200, { ...eventStreamHeaders, ...extraHeaders });
  for await (const chunk of chunks) {
    if (!response.write(chunk) && !response.destroyed) await waitForDrain(response);
  }
  response.end();
}

/** Header values must be one line of visible ASCII. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, ' ').slice(0, 1024);
}

/**
 * Writes a started chat stream as SSE in the client's dialect. Headers go out with the first event (so a
 * stream-start warning can still become a header); each event is written as soon as it arrives, with
 * backpressure; a failure ends the stream with the dialect's error event, never a silent truncation.
 */
export async function writeEventStream(
  response: ServerResponse,
  dialect: ChatDialect,
  events: AsyncIterable<ChatEvent>,
  context: EncodeContext,
  extraHeaders: Record<string, string>,
): Promise<void> {
  const iterator = events[Symbol.asyncIterator]();
  const encoder = dialect.createStreamEncoder(context);
  let step = await iterator.next();
  const headers: Record<string, string> = { ...eventStreamHeaders, ...extraHeaders };
  if (!step.done && step.value.type === 'stream-start' && step.value.warnings.length > 0) {
    headers['x-switchyard-warnings'] = headerSafe(step.value.warnings.map((warning) => warning.message).join('; '));
  }
  response.writeHead(200, headers);
  try {
    while (!step.done) {
      const event = step.value;
      const text = encoder.encode(event.type === 'error' ? { ...event, error: withoutSecrets(event.error) } : event);
      if (text !== '' && !response.write(text) && !response.destroyed) await waitForDrain(response);
      step = await iterator.next();
    }
  } catch (error) {
    // Adapters end streams with an error event rather than throwing; this guards the gateway's own bugs.
    if (!response.destroyed) response.write(dialect.encodeStreamError(withoutSecrets(toGatewayError(error)), context.requestId));
    await iterator.return?.();
  }
  response.end();
}
