/**
 * The scripting API shared by every mock provider. End-to-end tests start a mock, point the gateway's
 * provider config at `baseUrl`, queue behaviours, and then inspect `requests`.
 */

/** One request the mock received (every path, including ones that consumed no behaviour). */
export interface RecordedRequest {
  method: string;
  /** Path plus query string, as sent (e.g. `/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse`). */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body; the raw string when it is not JSON; undefined when empty. */
  body: unknown;
}

/**
 * Token counts in the gateway's canonical EXCLUSIVE buckets (see src/spec/usage.ts): `input` excludes cache
 * reads and writes, `output` excludes reasoning. Each mock translates them to its provider's semantics
 * (e.g. OpenAI `prompt_tokens = input + cacheRead + cacheWrite`, `completion_tokens = output + reasoning`).
 */
export interface MockUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  reasoning: number;
}

/** What the mock does for the next chat / embedding request. */
export type MockBehaviour =
  | {
      kind: 'text';
      text?: string;
      /** The streamed pieces; `text` is ignored when given (the full text is their concatenation). */
      chunks?: string[];
      usage?: Partial<MockUsage>;
      /** Wait before sending the response headers. */
      delayMs?: number;
      /** Wait after the headers, before the first stream frame. */
      firstChunkDelayMs?: number;
      /** Wait between content chunks. */
      chunkDelayMs?: number;
      /** Send no usage at all (a provider that forgot it). */
      omitUsage?: boolean;
    }
  | { kind: 'tool-calls'; calls: Array<{ id?: string; name: string; arguments: Record<string, unknown> }>; text?: string }
  /** `body` replaces the provider's default error body; `headers` are added (e.g. retry-after). */
  | { kind: 'error'; status: number; message?: string; type?: string; headers?: Record<string, string>; body?: unknown }
  /** Destroy the socket without answering. */
  | { kind: 'reset-before-response' }
  /** Stream `afterChunks` content chunks, then destroy the socket. */
  | { kind: 'reset-mid-stream'; afterChunks: number }
  /** Stream `afterChunks` content chunks, then the provider's in-stream error event, then end. */
  | { kind: 'error-mid-stream'; afterChunks: number; status?: number; message?: string; type?: string }
  /** Never answer (until close()). */
  | { kind: 'hang' }
  /** Answer with this raw body. */
  | { kind: 'garbage'; status?: number; body: string; contentType?: string };

/**
 * A behaviour worked out from the request it answers, for answers that depend on the prompt (a model that
 * repeats its system prompt, say). The answer still goes out in the provider's own wire format.
 */
export type MockResponder = (request: RecordedRequest) => MockBehaviour;

/** A running mock provider. */
export interface MockProvider {
  /**
   * What the gateway's provider config should use as base URL: `http://127.0.0.1:PORT/v1` for OpenAI,
   * `http://127.0.0.1:PORT` for Anthropic, Gemini, Ollama and Azure (the Azure endpoint).
   */
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  /** Consumed one per chat / embedding request, in order. Empty queue: `{ kind: 'text', text: 'Hello from <provider> mock' }`. */
  enqueue(...behaviours: Array<MockBehaviour | MockResponder>): void;
  /** Clears the queue and the recorded requests. */
  reset(): void;
  /** Closes the server and every socket, hanging ones included. */
  close(): Promise<void>;
}

export { startOpenAIMock } from './openai-mock.js';
export { startAzureOpenAIMock } from './azure-openai-mock.js';
export { startAnthropicMock } from './anthropic-mock.js';
export { startGeminiMock } from './gemini-mock.js';
export { startOllamaMock } from './ollama-mock.js';
