import { createServer } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { MockBehaviour, MockProvider, MockResponder, MockUsage, RecordedRequest } from './mock-provider.js';

/**
 * Shared plumbing for the mock providers: a plain node:http server on 127.0.0.1 (random port), body
 * reading, request recording, the behaviour queue, socket tracking (so close() also ends hanging and
 * half-streamed connections), and a stream runner that applies the timing and failure behaviours.
 * Timers are fine here: this is a fake network peer, not code under test.
 */

/** One incoming request, already read and recorded. */
export interface MockExchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly url: URL;
  readonly method: string;
  readonly body: unknown;
  readonly server: MockServer;
}

export type MockHandler = (exchange: MockExchange) => Promise<void> | void;

/** Stream frames: `head` (preamble), `chunks` (content; the ones `afterChunks` counts), `tail` (closing frames). */
export interface StreamPlan {
  head: string[];
  chunks: string[];
  tail: string[];
}

export class MockServer {
  readonly requests: RecordedRequest[] = [];
  private readonly queue: Array<MockBehaviour | MockResponder> = [];
  private readonly sockets = new Set<Socket>();
  private readonly pendingWaits = new Set<{ timer: NodeJS.Timeout; resolve: (value: boolean) => void }>();
  private closed = false;
  private sequence = 0;
  port = 0;

  constructor(
    readonly providerName: string,
    private readonly handler: MockHandler,
  ) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** A deterministic, increasing id suffix for response ids and request ids. */
  nextId(): string {
    this.sequence += 1;
    return `${this.sequence.toString().padStart(6, '0')}`;
  }

  enqueue(...behaviours: Array<MockBehaviour | MockResponder>): void {
    this.queue.push(...behaviours);
  }

  /**
   * The next behaviour. A responder is given the request being answered: the one recorded last, since every
   * handler takes its behaviour before its first `await` (the request is recorded just before the handler runs).
   */
  nextBehaviour(): MockBehaviour {
    const next = this.queue.shift();
    if (typeof next === 'function') return next(this.requests[this.requests.length - 1]);
    return next ?? { kind: 'text', text: `Hello from ${this.providerName} mock` };
  }

  reset(): void {
    this.queue.length = 0;
    this.requests.length = 0;
  }

  /** Resolves true after `milliseconds`, or false at once when the server closes (callers then stop). */
  wait(milliseconds: number | undefined): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (!milliseconds || milliseconds <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const entry = {
        resolve,
        timer: setTimeout(() => {
          this.pendingWaits.delete(entry);
          resolve(true);
        }, milliseconds),
      };
      this.pendingWaits.add(entry);
    });
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      void this.dispatch(request, response);
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.httpServer = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('mock server has no port');
    this.port = address.port;
  }

  private httpServer: ReturnType<typeof createServer> | undefined;

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const entry of this.pendingWaits) {
      clearTimeout(entry.timer);
      entry.resolve(false);
    }
    this.pendingWaits.clear();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    const server = this.httpServer;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async dispatch(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = undefined;
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const path = request.url ?? '/';
    this.requests.push({ method: request.method ?? 'GET', path, headers: { ...request.headers }, body });
    const exchange: MockExchange = {
      request,
      response,
      url: new URL(path, this.origin),
      method: request.method ?? 'GET',
      body,
      server: this,
    };
    try {
      await this.handler(exchange);
    } catch (error) {
      if (!response.headersSent) sendJson(response, 500, { error: `mock failure: ${String(error)}` });
      else response.destroy();
    }
  }
}

/** Starts a mock server and wraps it as the public MockProvider. */
export async function startMockServer(
  providerName: string,
  handler: MockHandler,
  baseUrlOf: (origin: string) => string,
): Promise<MockProvider & { readonly server: MockServer }> {
  const server = new MockServer(providerName, handler);
  await server.start();
  return {
    server,
    baseUrl: baseUrlOf(server.origin),
    requests: server.requests,
    enqueue: (...behaviours) => server.enqueue(...behaviours),
    reset: () => server.reset(),
    close: () => server.close(),
  };
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/**
 * Handles the behaviours that are the same for every provider (transport failures and raw bodies).
 * Returns true when the behaviour was handled and the caller must do nothing more.
 */
export function handleTransportBehaviour(behaviour: MockBehaviour, exchange: MockExchange): boolean {
  switch (behaviour.kind) {
    case 'reset-before-response':
      exchange.request.socket.destroy();
      return true;
    case 'hang':
      // Keep the socket open; close() destroys it.
      return true;
    case 'garbage': {
      const status = behaviour.status ?? 200;
      exchange.response.writeHead(status, {
        'content-type': behaviour.contentType ?? 'application/json',
        'content-length': Buffer.byteLength(behaviour.body),
      });
      exchange.response.end(behaviour.body);
      return true;
    }
    default:
      return false;
  }
}

/**
 * Writes a stream: headers, then (after firstChunkDelayMs) the head frames, the content chunks (chunkDelayMs
 * apart), the tail frames, and ends. Only `text` carries timings. `reset-mid-stream` destroys the socket after `afterChunks` chunks;
 * `error-mid-stream` writes `errorFrame` there and ends the response.
 */
export async function runStream(
  exchange: MockExchange,
  behaviour: MockBehaviour,
  plan: StreamPlan,
  options: { contentType: string; headers?: OutgoingHttpHeaders; errorFrame?: string },
): Promise<void> {
  const { response, server } = exchange;
  const timing = behaviour.kind === 'text' ? behaviour : undefined;
  if (!(await server.wait(timing?.delayMs))) return;
  response.writeHead(200, { 'content-type': options.contentType, 'cache-control': 'no-cache', ...options.headers });
  response.flushHeaders();
  if (!(await server.wait(timing?.firstChunkDelayMs))) return;
  for (const frame of plan.head) response.write(frame);
  const stopAfter =
    behaviour.kind === 'reset-mid-stream' || behaviour.kind === 'error-mid-stream' ? behaviour.afterChunks : Infinity;
  for (let index = 0; index < plan.chunks.length && index < stopAfter; index++) {
    if (index > 0 && !(await server.wait(timing?.chunkDelayMs))) return;
    response.write(plan.chunks[index]);
  }
  if (behaviour.kind === 'reset-mid-stream') {
    // Let the written frames reach the client before the connection drops.
    await new Promise<void>((resolve) => response.write('', () => resolve()));
    exchange.request.socket.destroy();
    return;
  }
  if (behaviour.kind === 'error-mid-stream') {
    response.end(options.errorFrame ?? '');
    return;
  }
  for (const frame of plan.tail) response.write(frame);
  response.end();
}

/** For a non-streaming request with `reset-mid-stream`: send the headers and half the body, then drop. */
export async function resetMidBody(exchange: MockExchange, body: unknown): Promise<void> {
  const text = JSON.stringify(body);
  exchange.response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  await new Promise<void>((resolve) => exchange.response.write(text.slice(0, Math.floor(text.length / 2)), () => resolve()));
  exchange.request.socket.destroy();
}

/** One SSE frame; `event` adds an `event:` line (Anthropic style). */
export function sseFrame(data: unknown, event?: string, lineEnd = '\n'): string {
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  return `${event ? `event: ${event}${lineEnd}` : ''}data: ${payload}${lineEnd}${lineEnd}`;
}

/** Splits text into word-led chunks ("Hello from x" -> ["Hello", " from", " x"]). */
export function splitIntoChunks(text: string): string[] {
  const pieces = text.match(/\s*\S+/g) ?? [];
  if (pieces.length === 0) return [text];
  const trailing = text.length - pieces.join('').length;
  if (trailing > 0) pieces[pieces.length - 1] += text.slice(text.length - trailing);
  return pieces;
}

/** The text chunks of a text behaviour, or the default text for the failure behaviours. */
export function textChunksOf(behaviour: MockBehaviour, providerName: string): string[] {
  if (behaviour.kind === 'text') {
    if (behaviour.chunks) return behaviour.chunks;
    return splitIntoChunks(behaviour.text ?? `Hello from ${providerName} mock`);
  }
  if (behaviour.kind === 'tool-calls') return behaviour.text ? splitIntoChunks(behaviour.text) : [];
  return splitIntoChunks(`Hello from ${providerName} mock, streaming a few words before it fails`);
}

/** Splits a JSON string into `parts` fragments of roughly equal size (at least one character each). */
export function fragment(text: string, parts = 3): string[] {
  if (text.length <= 1) return [text];
  const size = Math.max(1, Math.ceil(text.length / parts));
  const fragments: string[] = [];
  for (let start = 0; start < text.length; start += size) fragments.push(text.slice(start, start + size));
  return fragments;
}

/** Counts prompt characters: every string under `content`, `text`, `parts`, `system`, `systemInstruction`. */
export function promptCharacters(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + promptCharacters(item), 0);
  if (value === null || typeof value !== 'object') return 0;
  let total = 0;
  for (const key of ['content', 'text', 'parts', 'system', 'systemInstruction', 'messages', 'contents']) {
    if (key in value) total += promptCharacters((value as Record<string, unknown>)[key]);
  }
  return total;
}

/**
 * The usage a behaviour reports, in exclusive buckets: given figures win, else input = ceil(prompt chars / 4)
 * (at least 1) and output = the number of content chunks; cache and reasoning default to 0.
 */
export function resolveUsage(behaviour: MockBehaviour, promptSource: unknown, chunkCount: number): MockUsage {
  const given = behaviour.kind === 'text' ? (behaviour.usage ?? {}) : {};
  return {
    input: given.input ?? Math.max(1, Math.ceil(promptCharacters(promptSource) / 4)),
    output: given.output ?? Math.max(1, chunkCount),
    cacheRead: given.cacheRead ?? 0,
    cacheWrite: given.cacheWrite ?? 0,
    reasoning: given.reasoning ?? 0,
  };
}

/** A header value as one string (first of repeated headers). */
export function headerValue(exchange: MockExchange, name: string): string | undefined {
  const value = exchange.request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
