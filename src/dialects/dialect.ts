import type { ChatEvent, ChatRequest, ChatResult, EmbedRequest, EmbedResult, GatewayError, ModelInfo, CallWarning } from '../spec/index.js';

/** A client chat request decoded into the canonical model, before routing picks the upstream model. */
export interface DecodedChatRequest {
  /** The model name the client asked for (a public name, `provider/model`, or a bare catalog name). */
  model: string;
  stream: boolean;
  /** OpenAI `stream_options.include_usage`; Anthropic streams always carry usage. */
  includeUsage: boolean;
  /** The canonical request; `model` is set to the client's name until routing replaces it. */
  request: ChatRequest;
  /** Settings the dialect accepted but could only pass on or drop, reported back to the client. */
  warnings: CallWarning[];
  /**
   * Set by a lazy decode: what the peek already read, so governance need not decode the whole request for
   * it. `maxOutputTokens` undefined here means the client set none.
   */
  peeked?: { maxOutputTokens?: number };
}

/** What encoders need besides the canonical result. */
export interface EncodeContext {
  /** The gateway's request id (used as the response id when the provider gave none). */
  requestId: string;
  /** The model name to report: the one the client asked for. */
  model: string;
  /** Unix seconds. */
  created: number;
  includeUsage: boolean;
}

/** Turns canonical stream events into the dialect's SSE text, one event at a time. */
export interface StreamEncoder {
  /** The SSE text for this event (may be empty when the dialect has nothing to say). */
  encode(event: ChatEvent): string;
}

/** A dialect's error body and status. */
export interface RenderedError {
  status: number;
  body: Record<string, unknown>;
}

/**
 * Reads a provider's SSE bytes on the fast path (client and provider speak the same wire): passes them to the
 * client untouched where it can, and notes what the ledger needs on the way.
 */
export interface PassthroughTap {
  /** What to send to the client for this upstream chunk: the chunk itself, rewritten text, or '' to hold back. */
  transform(chunk: Uint8Array): Uint8Array | string;
  /** Text still held back when the upstream body ends. */
  end(): string;
  /** The last chunk object that carried usage (the provider's shape). */
  readonly usageObject: Record<string, unknown> | undefined;
  /** The provider's in-stream error object, if one came. */
  readonly errorObject: Record<string, unknown> | undefined;
  /** The first finish reason seen, in the wire's words. */
  readonly finishReason: string | undefined;
  /** True once content (text, reasoning or a tool call) has been seen. */
  readonly sawContent: boolean;
  /** Chunks that carried content: about one token each, the estimate when a cut stream reported no usage. */
  readonly contentChunks: number;
  /** True once the stream's own end marker came (so a cut-off stream can be told from a finished one). */
  readonly complete: boolean;
}

/**
 * A front API that clients speak for chat (OpenAI Chat Completions, Anthropic Messages). Decoding validates
 * with zod and throws `invalid_request` / `invalid_json` GatewayErrors naming the field at fault.
 */
export interface ChatDialect {
  readonly id: string;
  decodeRequest(body: unknown): DecodedChatRequest;
  encodeResult(result: ChatResult, context: EncodeContext): Record<string, unknown>;
  createStreamEncoder(context: EncodeContext): StreamEncoder;
  renderError(error: GatewayError, requestId: string): RenderedError;
  /** The SSE text of an error after the stream started (the dialect's error event). */
  encodeStreamError(error: GatewayError, requestId: string): string;
  /**
   * The fast path, for dialects that support it: a tap over the provider's own stream bytes, and the finish
   * reason of a complete response body.
   */
  passthrough?: {
    /** `includeUsage`: whether the client asked for the usage chunk (the gateway always asks the provider). */
    createTap(includeUsage: boolean): PassthroughTap;
    /**
     * What the ledger needs from a complete response body, read without parsing all of it: the object that
     * carries usage (`{ usage }`), the finish reason, and whether the text is a JSON object at all.
     */
    summarise(body: string): { usageObject?: Record<string, unknown>; finishReason?: string; isObject: boolean };
    /**
     * The few fields the fast path needs, read without the full decode (the provider judges the rest, in
     * this same dialect); undefined when the body does not even have that shape.
     */
    peek(body: unknown): { model: string; stream: boolean; includeUsage: boolean; maxOutputTokens?: number } | undefined;
  };
}

/** OpenAI embeddings front API. */
export interface DecodedEmbedRequest {
  model: string;
  request: EmbedRequest;
  encodingFormat: 'float' | 'base64';
}

/** Encodes a model list in a dialect's shape. */
export interface ModelListEncoder {
  encodeList(models: PublicModel[]): Record<string, unknown>;
  encodeModel(model: PublicModel): Record<string, unknown>;
}

/** A model as the gateway publishes it: its public name and what is known of it. */
export interface PublicModel extends ModelInfo {
  /** The provider instance that serves it (or `switchyard` for a routing group). */
  ownedBy: string;
}
