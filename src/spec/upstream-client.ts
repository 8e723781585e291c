/** One HTTP request to a provider. */
export interface UpstreamRequest {
  /** Absolute URL. */
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** The body of an upstream response, readable once, either whole or as byte chunks. */
export interface UpstreamBody extends AsyncIterable<Uint8Array> {
  text(): Promise<string>;
  /** Reads and discards the rest, releasing the connection. */
  dump(): Promise<void>;
}

/** A provider's answer: status and headers as soon as they arrive, the body as a stream. */
export interface UpstreamResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string | string[] | undefined>;
  body: UpstreamBody;
}

/**
 * The only way adapters reach the network. The gateway injects a pooled client; tests inject one that
 * replays recorded fixtures. Failures to connect or time-outs reject with a GatewayError
 * (`upstream_connection_error`, `upstream_timeout`); HTTP error statuses resolve normally.
 */
export interface UpstreamClient {
  request(request: UpstreamRequest): Promise<UpstreamResponse>;
}
