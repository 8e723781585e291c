import { GatewayError, type UpstreamClient, type UpstreamRequest, type UpstreamResponse } from '../../spec/index.js';
import { fixtureBodyText, type WireFixture } from './wire-fixture.js';

/** How the replayed body is cut into reads. */
export type ChunkingMode = 'recorded' | 'whole' | 'tiny';

/**
 * An UpstreamClient that replays one fixture: it records the request the adapter sent, answers with the
 * recorded status, headers and body, cut into reads as asked, and honours the abort signal between reads.
 */
export class ReplayUpstreamClient implements UpstreamClient {
  readonly requests: UpstreamRequest[] = [];
  /** How many body reads the adapter consumed (an aborted stream must stop early). */
  readsConsumed = 0;
  totalReads = 0;

  constructor(
    private readonly fixture: WireFixture,
    private readonly chunking: ChunkingMode = 'recorded',
  ) {}

  async request(request: UpstreamRequest): Promise<UpstreamResponse> {
    this.requests.push(request);
    const response = this.fixture.upstream.response;
    const reads = this.reads();
    this.totalReads = reads.length;
    if (response.resetAfterBody && reads.length === 0) {
      throw new GatewayError('upstream_connection_error', 'Connection to the provider failed (ECONNRESET)');
    }
    const client = this;
    const signal = request.signal;
    const encoder = new TextEncoder();
    async function* iterate(): AsyncGenerator<Uint8Array> {
      for (const read of reads) {
        if (signal?.aborted) throw signal.reason ?? new GatewayError('client_closed_request', 'aborted');
        client.readsConsumed++;
        yield encoder.encode(read);
        // Let the consumer run (and possibly abort) between reads, as a socket would.
        await Promise.resolve();
      }
      if (response.resetAfterBody) {
        throw new GatewayError('upstream_connection_error', 'Connection to the provider failed (ECONNRESET)');
      }
    }
    let consumed = false;
    const body = {
      [Symbol.asyncIterator]: () => {
        consumed = true;
        return iterate();
      },
      async text() {
        if (consumed) throw new Error('body already read');
        consumed = true;
        let text = '';
        for await (const chunk of iterate()) text += new TextDecoder().decode(chunk);
        return text;
      },
      async dump() {
        consumed = true;
      },
    };
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(response.headers ?? {}) };
    return { status: response.status, headers, body };
  }

  private reads(): string[] {
    const response = this.fixture.upstream.response;
    if (this.chunking === 'recorded' && response.chunks !== undefined) return response.chunks;
    const text = fixtureBodyText(this.fixture);
    if (text === '') return [];
    if (this.chunking === 'tiny') {
      // Cut every 7 characters: boundaries land inside lines, JSON and multi-byte characters' neighbours.
      const reads: string[] = [];
      for (let index = 0; index < text.length; index += 7) reads.push(text.slice(index, index + 7));
      return reads;
    }
    return [text];
  }
}
