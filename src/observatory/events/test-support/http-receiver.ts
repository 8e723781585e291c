import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, as sent (what a signature is computed over). */
  body: string;
}

/**
 * A real HTTP server on 127.0.0.1 that records what it receives and answers with the statuses it is told
 * (200 once the list is used up). Tests wait on `next()` instead of sleeping.
 */
export class HttpReceiver {
  readonly received: ReceivedRequest[] = [];
  statuses: number[] = [];
  #waiters: Array<{ count: number; resolve: () => void }> = [];
  #server: Server;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<HttpReceiver> {
    let receiver: HttpReceiver | undefined;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const self = receiver as HttpReceiver;
        self.received.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(self.statuses.shift() ?? 200, { 'content-type': 'text/plain' }).end('ok');
        self.#waiters = self.#waiters.filter((waiter) => (self.received.length >= waiter.count ? (waiter.resolve(), false) : true));
      });
    });
    receiver = new HttpReceiver(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Resolves once `count` requests in all have arrived (bounded by the test's own timeout). */
  waitFor(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
