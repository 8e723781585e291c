import type { UpstreamClient, UpstreamRequest } from '../../spec/index.js';
import type { LedgerAttempt, LedgerTrace, LedgerTraceAttempt } from '../ledger-row.js';
import { formatTraceParent, isSampled, newSpanId, newTraceId, parseTraceParent } from './trace-ids.js';

/**
 * The ids a request's trace uses, fixed while the request runs so the provider call can carry a
 * `traceparent` naming its attempt span; the spans themselves are derived from the ledger row (see
 * `buildRequestSpans`).
 */
export interface RequestTrace {
  traceId: string;
  /** The gateway's root span of this request. */
  requestSpanId: string;
  /** The client's span (from its `traceparent`), parent of the request span. */
  parentSpanId?: string;
  sampled: boolean;
  /** The span id of each real upstream call, by attempt number - 1 (skipped deployments have none). */
  attemptSpanIds: string[];
}

/** One upstream attempt as the router recorded it (structurally the gateway's `AttemptRecord`). */
export interface TimelineAttempt extends LedgerAttempt {
  /** The model group the deployment was chosen from. */
  group: string;
  /** Wall clock, epoch ms. */
  startedAt: number;
  /** Why the attempt was made (retry, fallback) or skipped; undefined for the first one. */
  reason?: string;
}

/**
 * What the tracer reads of a finished request beyond its ledger row: a few numbers the stages set on the
 * request context (the context itself is passed, so the request path allocates nothing for it).
 */
export interface RequestTimeline {
  readonly startedMonotonic: number;
  readonly attempts: readonly TimelineAttempt[];
  /** Monotonic time authentication ended. */
  readonly authenticatedMonotonic?: number;
  /** Monotonic time governance (policies, limits, budget reservation) ended. */
  readonly governedMonotonic?: number;
  readonly trace?: RequestTrace;
}

/** Where the gateway keeps a request's {@link RequestTrace} while it runs. */
export interface TracedRequest {
  traceparent?: string;
  trace?: RequestTrace;
}

/** A finished request as {@link TracePropagation.ledgerTraceOf} reads it (structurally the gateway's context). */
export interface FinishedTracedRequest extends Omit<RequestTimeline, 'trace'>, TracedRequest {
  /** Wall clock the request started, epoch ms (the ledger row's `timestamp`). */
  readonly startedAt: number;
  /** The client's parsed body, for the session id in its metadata. */
  readonly body?: unknown;
}

/**
 * Propagation upstream: gives each provider call a `traceparent` whose parent is that attempt's span, by
 * wrapping the upstream HTTP client (so no adapter needs to know; the header is added to every request the
 * attempt makes). Present only when tracing is on.
 */
export class TracePropagation {
  constructor(private readonly sampleRatio: number) {}

  /** The request's trace ids, created on first use: the client's trace when it sent a valid `traceparent`. */
  traceOf(request: TracedRequest): RequestTrace {
    let trace = request.trace;
    if (trace === undefined) {
      const parent = parseTraceParent(request.traceparent);
      const traceId = parent?.traceId ?? newTraceId();
      trace = {
        traceId,
        requestSpanId: newSpanId(),
        parentSpanId: parent?.spanId,
        sampled: isSampled(traceId, this.sampleRatio, parent?.sampled),
        attemptSpanIds: [],
      };
      request.trace = trace;
    }
    return trace;
  }

  /**
   * The trace part of a finished request's ledger row: its ids, session and stage timings, a few numbers
   * and strings taken on the request's turn (no span is built or written for it; see docs/decisions/0010).
   */
  ledgerTraceOf(request: FinishedTracedRequest): LedgerTrace {
    const trace = this.traceOf(request);
    const started = request.startedMonotonic;
    const attempts: LedgerTraceAttempt[] = [];
    let real = 0;
    for (const attempt of request.attempts) {
      const entry: LedgerTraceAttempt = { group: attempt.group, startedAfterMs: attempt.startedAt - request.startedAt };
      if (attempt.outcome !== 'skipped') {
        const spanId = trace.attemptSpanIds[real];
        real += 1;
        if (spanId !== undefined) entry.spanId = spanId;
      }
      if (attempt.reason !== undefined) entry.reason = attempt.reason;
      attempts.push(entry);
    }
    const ledgerTrace: LedgerTrace = { traceId: trace.traceId, requestSpanId: trace.requestSpanId, attempts };
    if (trace.parentSpanId !== undefined) ledgerTrace.parentSpanId = trace.parentSpanId;
    const sessionId = sessionIdOf(request.body);
    if (sessionId !== undefined) ledgerTrace.sessionId = sessionId;
    if (request.authenticatedMonotonic !== undefined) ledgerTrace.authenticatedAfterMs = Math.round(request.authenticatedMonotonic - started);
    if (request.governedMonotonic !== undefined) ledgerTrace.governedAfterMs = Math.round(request.governedMonotonic - started);
    return ledgerTrace;
  }

  /** The client an attempt calls its provider with: `http`, adding the attempt's `traceparent` header. */
  upstreamClient(http: UpstreamClient, request: TracedRequest, attemptNumber: number): UpstreamClient {
    const trace = this.traceOf(request);
    const spanId = newSpanId();
    trace.attemptSpanIds[attemptNumber - 1] = spanId;
    const traceparent = formatTraceParent(trace.traceId, spanId, trace.sampled);
    return {
      request: (upstream: UpstreamRequest) => http.request({ ...upstream, headers: { ...upstream.headers, traceparent } }),
    };
  }
}

/** A session id the client put in the request's metadata (`session_id` or `sessionId`), if any. */
export function sessionIdOf(body: unknown): string | undefined {
  const metadata = (body as { metadata?: unknown } | undefined)?.metadata;
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const value = (metadata as Record<string, unknown>).session_id ?? (metadata as Record<string, unknown>).sessionId;
  return typeof value === 'string' && value !== '' && value.length <= 256 ? value : undefined;
}
