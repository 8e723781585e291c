import type { TraceSpan, TraceSummary } from './trace-types.js';

/** The fields of a span a trace's summary needs. */
export type SummarisedSpan = Pick<TraceSpan, 'traceId' | 'spanId' | 'parentSpanId' | 'name' | 'kind' | 'startTime' | 'endTime' | 'status' | 'requestId' | 'sessionId'>;

/**
 * The list line of one trace from its spans: named after its root (the earliest span whose parent is not
 * stored: a client's trace has the client's span as the gateway span's parent), failed when any span failed
 * except an upstream attempt (a request that recovered on retry or fallback is not a failure).
 */
export function summariseTrace(spans: readonly SummarisedSpan[]): TraceSummary {
  const ids = new Set(spans.map((span) => span.spanId));
  const ordered = [...spans].sort((left, right) => left.startTime - right.startTime || left.spanId.localeCompare(right.spanId));
  const root = ordered.find((span) => span.parentSpanId === undefined || !ids.has(span.parentSpanId)) ?? ordered[0];
  const requestIds = [...new Set(ordered.flatMap((span) => (span.requestId === undefined ? [] : [span.requestId])))];
  const summary: TraceSummary = {
    traceId: root.traceId,
    name: root.name,
    startTime: ordered[0].startTime,
    endTime: Math.max(...ordered.map((span) => span.endTime)),
    spanCount: spans.length,
    requestIds,
    status: spans.some((span) => span.status === 'error' && span.kind !== 'attempt') ? 'error' : 'ok',
  };
  const sessionId = ordered.find((span) => span.sessionId !== undefined)?.sessionId;
  if (sessionId !== undefined) summary.sessionId = sessionId;
  return summary;
}
