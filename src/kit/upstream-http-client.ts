import { Pool } from 'undici';
import { httpClientSignal } from './abortable.js';
import { GatewayError, type UpstreamBody, type UpstreamClient, type UpstreamRequest, type UpstreamResponse } from '../spec/index.js';

/** Time limits of the pooled client. The total limit is the caller's AbortSignal. */
export interface UpstreamHttpClientOptions {
  /** TCP + TLS connect limit. */
  connectTimeoutMs: number;
  /** Limit from sending the request to the response headers (for a stream: the provider accepting it). */
  headersTimeoutMs: number;
  /** Longest silence allowed between two body chunks. */
  idleTimeoutMs: number;
  /** Connections per origin. */
  connections?: number;
}

/**
 * The production UpstreamClient: one undici Pool per origin with keep-alive (undici's `request` is several
 * times faster than `fetch` here). Network failures become GatewayErrors so the router can classify them.
 */
export class UpstreamHttpClient implements UpstreamClient {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly options: UpstreamHttpClientOptions) {}

  async request(request: UpstreamRequest): Promise<UpstreamResponse> {
    const url = new URL(request.url);
    const pool = this.poolFor(url.origin);
    try {
      const response = await pool.request({
        path: url.pathname + url.search,
        method: request.method,
        headers: request.headers,
        body: request.body,
        // undici accepts an EventEmitter with aborted/reason: much cheaper to listen on than an AbortSignal.
        signal: httpClientSignal(request.signal) as AbortSignal | undefined,
      });
      return {
        status: response.statusCode,
        headers: response.headers as Record<string, string | string[] | undefined>,
        body: wrapBody(response.body, request.signal),
      };
    } catch (error) {
      throw networkError(error, request.signal);
    }
  }

  /** Closes every pooled connection (graceful shutdown). */
  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.close()));
    this.pools.clear();
  }

  private poolFor(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (pool === undefined) {
      pool = new Pool(origin, {
        connections: this.options.connections ?? 128,
        pipelining: 1,
        connect: { timeout: this.options.connectTimeoutMs },
        headersTimeout: this.options.headersTimeoutMs,
        bodyTimeout: this.options.idleTimeoutMs,
        keepAliveTimeout: 30_000,
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }
}

interface UndiciBody extends AsyncIterable<Uint8Array> {
  text(): Promise<string>;
  dump(options?: { limit: number }): Promise<void>;
}

function wrapBody(body: UndiciBody, signal: AbortSignal | undefined): UpstreamBody {
  return {
    async *[Symbol.asyncIterator]() {
      try {
        for await (const chunk of body) yield chunk;
      } catch (error) {
        throw networkError(error, signal);
      }
    },
    async text() {
      try {
        return await body.text();
      } catch (error) {
        throw networkError(error, signal);
      }
    },
    async dump() {
      await body.dump({ limit: 1 << 20 }).catch(() => undefined);
    },
  };
}

/** Translates undici / socket failures into the catalog; an abort rethrows the signal's reason. */
export function networkError(error: unknown, signal?: AbortSignal): GatewayError {
  if (signal?.aborted) {
    const reason = signal.reason;
    if (reason instanceof GatewayError) return reason;
    return new GatewayError('client_closed_request', 'The client closed the request', { cause: error });
  }
  if (error instanceof GatewayError) return error;
  const code = (error as { code?: string } | undefined)?.code ?? '';
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return new GatewayError('upstream_timeout', 'Connecting to the provider timed out', { cause: error });
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return new GatewayError('upstream_timeout', 'The provider did not answer in time', { cause: error });
  if (code === 'UND_ERR_BODY_TIMEOUT') return new GatewayError('upstream_timeout', 'The provider stopped sending mid-response', { cause: error });
  return new GatewayError('upstream_connection_error', `Connection to the provider failed (${code || 'network error'})`, { cause: error });
}
