import type { ChatEvent } from './chat-event.js';
import type { ChatRequest } from './chat-request.js';
import type { ChatResult } from './chat-result.js';
import type { EmbedRequest, EmbedResult } from './embed.js';
import type { ModelCapabilities, ModelInfo } from './model-info.js';
import type { Clock, Logger } from './runtime.js';
import type { UpstreamClient, UpstreamResponse } from './upstream-client.js';
import type { Usage } from './usage.js';
import type { GatewayError } from './gateway-error.js';

/** The adapter interface version. Bump it when the contract changes shape. */
export const providerSpecVersion = 'v1' as const;

/**
 * What the gateway hands an adapter for one call. Adapters do no I/O of their own choosing: the network is
 * `http`, time is `clock`, so tests inject fakes.
 */
export interface CallOptions {
  /** Aborts when the client disconnects or the total timeout fires; `signal.reason` says which. */
  signal: AbortSignal;
  http: UpstreamClient;
  clock: Clock;
  logger: Logger;
}

/**
 * A chat stream. Iterating never throws: a failure after the stream started ends it with one `error` event,
 * a success with exactly one `finish` event. Aborting `CallOptions.signal` ends it with an `error` event
 * carrying the partial usage.
 */
export type ChatStream = AsyncIterable<ChatEvent>;

/**
 * The fast path: for a client that already speaks this provider's wire, the gateway forwards the (possibly
 * re-serialised) body and streams the bytes back, reading usage from them on the way.
 */
export interface PassthroughSupport {
  /** The dialect id whose wire this provider speaks natively, e.g. `openai-chat`. */
  dialect: string;
  /** Sends the body (whose `model` is already the upstream model) as-is. */
  forward(body: Record<string, unknown>, call: CallOptions): Promise<UpstreamResponse>;
  /** Reads usage from a complete response body, or from one stream chunk; undefined if it has none. */
  readUsage(json: Record<string, unknown>): Usage | undefined;
  /** Turns a non-2xx answer from `forward` into the GatewayError `doChat` would have thrown. */
  readError(status: number, headers: Record<string, string | string[] | undefined>, bodyText: string): GatewayError;
}

/**
 * A provider adapter: the narrow, versioned interface between the canonical model and one upstream API.
 * `doChat` and `doChatStream` reject with a GatewayError (retryable or not) when the call fails before any
 * output; `doChatStream` resolves once the provider has accepted the request.
 */
export interface ProviderAdapter {
  readonly specVersion: typeof providerSpecVersion;
  /** The provider kind (`openai`, `anthropic`, ...). */
  readonly kind: string;
  /** The configured instance name (`openai`, `my-vllm`). */
  readonly name: string;
  capabilities(model: string): ModelCapabilities;
  doChat(request: ChatRequest, call: CallOptions): Promise<ChatResult>;
  doChatStream(request: ChatRequest, call: CallOptions): Promise<ChatStream>;
  doEmbed?(request: EmbedRequest, call: CallOptions): Promise<EmbedResult>;
  listModels?(call: CallOptions): Promise<ModelInfo[]>;
  /** Counts the prompt's input tokens with the provider's own counter, where it has one. */
  countTokens?(request: ChatRequest, call: CallOptions): Promise<number>;
  passthrough?: PassthroughSupport;
}
