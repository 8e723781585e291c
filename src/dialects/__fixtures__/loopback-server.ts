import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the loopback server answers to the next request. */
export interface CannedResponse {
  status: number;
  contentType: string;
  body: string;
}

/**
 * A 127.0.0.1 HTTP server answering every request with `respond()`'s canned response, so the official SDKs
 * can parse exactly the bytes a dialect produces. Records the request bodies it saw.
 */
export async function startLoopbackServer(respond: () => CannedResponse): Promise<{ baseUrl: string; requests: unknown[]; close(): Promise<void> }> {
  const requests: unknown[] = [];
  const server: Server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => {
      requests.push(text === '' ? undefined : JSON.parse(text));
      const canned = respond();
      response.writeHead(canned.status, { 'content-type': canned.contentType, 'x-request-id': 'req_test', 'request-id': 'req_test' });
      response.end(canned.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
