import type { GatewayError, Usage, UsageSource } from '../spec/index.js';
import type { LedgerRow } from '../observatory/index.js';
import type { DecodedChatRequest } from '../dialects/dialect.js';
import type { FastPathRequest } from './passthrough-call.js';
import type { Principal } from '../governance/authenticator.js';
import type { AttemptRecord } from './routing/index.js';
import type { RequestTrace } from '../observatory/tracing/request-timeline.js';
import type { RequestGuardrails } from '../sentinel/guardrails/request-guardrails.js';

/** The operation a request performs. */
export type GatewayOperation = 'chat' | 'embeddings' | 'count_tokens';

/** The deployment that finally served a request. */
export interface ServedBy {
  provider: string;
  model: string;
  deploymentId: string;
}

/**
 * Everything the pipeline learns about one request on its way through. Stages read and fill it; the account
 * stage turns it into the ledger row.
 */
export interface RequestContext {
  readonly requestId: string;
  readonly dialect: string;
  readonly operation: GatewayOperation;
  /** Wall-clock start (ms since epoch). */
  readonly startedAt: number;
  /** Monotonic start, for durations. */
  readonly startedMonotonic: number;
  /** Aborts when the client disconnects or the total timeout fires. */
  readonly signal: AbortSignal;
  readonly presentedKey: string | undefined;
  /** The path the client called (keys may be restricted to some routes). */
  route?: string;
  /** The client's parsed JSON body, as it came (for the budget's tokenizer-free worst case). */
  body?: unknown;
  /**
   * The JSON text the client sent and the value it parsed to. Payload capture stores the text as it came
   * instead of encoding `body` again, but only while `body` is still that value (masking replaces it).
   */
  bodySource?: BodySource;
  principal?: Principal;
  requestedModel: string;
  stream: boolean;
  readonly attempts: AttemptRecord[];
  served?: ServedBy;
  usage?: Usage;
  usageSource: UsageSource | 'none';
  finishReason?: string;
  error?: GatewayError;
  /** Milliseconds from the start to the first content sent to the client (streams). */
  timeToFirstTokenMs?: number;
  /** Milliseconds spent waiting on providers (all attempts), to derive the gateway's own overhead. */
  upstreamMs: number;
  /** The decoded chat request (its canonical part may be decoded lazily), also for the usage estimate. */
  chat?: DecodedChatRequest;
  /** The client's own body, when the fast path may forward it. */
  fastPath?: FastPathRequest;
  /** Embedding inputs, kept for the usage estimate when a provider reports none. */
  embedInput?: string[];
  /**
   * Run once with the ledger row when the request is accounted (success, error or abort): the governance
   * stage settles budgets and rate-limit tokens and frees concurrency slots here.
   */
  finalizers?: Array<(row: LedgerRow) => void>;
  /** Headers for the client's response (`x-ratelimit-*`), set by stages before the answer starts. */
  responseHeaders?: Record<string, string>;
  /** The W3C `traceparent` header the client sent, if any (traces continue the client's trace). */
  traceparent?: string;
  /** Trace ids fixed while the request runs (tracing on), so provider calls carry a `traceparent`. */
  trace?: RequestTrace;
  /** Monotonic times authentication and governance ended, for the trace's stage spans. */
  authenticatedMonotonic?: number;
  governedMonotonic?: number;
  /** Output tokens counted on the fast path (content chunks), for a stream that broke before its usage. */
  estimatedOutputTokens?: number;
  /** Guardrail decisions and the masking vault, when a guardrail policy applies (see sentinel/guardrails). */
  guardrails?: RequestGuardrails;
}

/** A request body's JSON text and the value parsed from it (see {@link RequestContext.bodySource}). */
export interface BodySource {
  readonly value: unknown;
  readonly text: string;
}

/** The client's JSON text when `context.body` is still the value parsed from it; undefined once a stage replaced it. */
export function sourceTextOf(context: Pick<RequestContext, 'body' | 'bodySource'>): string | undefined {
  const source = context.bodySource;
  return source !== undefined && source.value === context.body ? source.text : undefined;
}

/** Options to create a {@link RequestContext}. */
export interface RequestContextInit {
  requestId: string;
  dialect: string;
  operation: GatewayOperation;
  signal: AbortSignal;
  presentedKey: string | undefined;
  requestedModel: string;
  stream: boolean;
  startedAt: number;
  startedMonotonic: number;
}

/**
 * A fresh context. Every field is present from the start, in one order, even those stages fill in later:
 * a field added after creation changes the object's hidden class, and with stages adding different fields in
 * different orders per request kind, V8 fell back to its generic (runtime) property store, about 40 times per
 * request (counted with callgrind, `bench/instructions.mjs`).
 */
export function createRequestContext(init: RequestContextInit): RequestContext {
  // Every key of the interface is required here (`AllFields`), so a field added to it later fails to compile
  // until it is listed below as well.
  const context: AllFields<RequestContext> = {
    requestId: init.requestId,
    dialect: init.dialect,
    operation: init.operation,
    startedAt: init.startedAt,
    startedMonotonic: init.startedMonotonic,
    signal: init.signal,
    presentedKey: init.presentedKey,
    route: undefined,
    body: undefined,
    bodySource: undefined,
    principal: undefined,
    requestedModel: init.requestedModel,
    stream: init.stream,
    attempts: [],
    served: undefined,
    usage: undefined,
    usageSource: 'none',
    finishReason: undefined,
    error: undefined,
    timeToFirstTokenMs: undefined,
    upstreamMs: 0,
    chat: undefined,
    fastPath: undefined,
    embedInput: undefined,
    finalizers: undefined,
    responseHeaders: undefined,
    traceparent: undefined,
    trace: undefined,
    authenticatedMonotonic: undefined,
    governedMonotonic: undefined,
    estimatedOutputTokens: undefined,
    guardrails: undefined,
  };
  return context;
}

/** Every property of `T` present (optional ones as `| undefined`). */
type AllFields<T> = { [K in keyof Required<T>]: T[K] };
