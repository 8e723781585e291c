import type { UpstreamClient, UpstreamRequest } from '../../spec/index.js';
import type { LedgerAttempt } from '../ledger-row.js';
import { formatTraceParent, isSampled, newSpanId, newTraceId, parseTraceParent } from './trace-ids.js';

/**
 * The ids a request's trace uses, fixed while the request runs so the provider call can carry a
 * `traceparent` naming its attempt span; the spans themselves are built after the request (see
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
