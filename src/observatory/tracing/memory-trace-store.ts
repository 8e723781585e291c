import { parseTraceCursor, traceCursorOf, type StoredTrace, type TracePage, type TraceStore } from './trace-store.js';
import { summariseTrace } from './trace-summary.js';
import { traceLimitOf, type TraceQuery, type TraceScore, type TraceSpan, type TraceSummary } from './trace-types.js';

/** A {@link TraceStore} in memory (tests, and a gateway run without a database). */
export class MemoryTraceStore implements TraceStore {
  private readonly traces = new Map<string, Map<string, TraceSpan>>();
  private readonly scores = new Map<string, TraceScore>();

  async appendSpans(spans: readonly TraceSpan[]): Promise<void> {
    for (const span of spans) {
      let trace = this.traces.get(span.traceId);
      if (trace === undefined) {
        trace = new Map();
        this.traces.set(span.traceId, trace);
      }
      if (!trace.has(span.spanId)) trace.set(span.spanId, structuredClone(span));
    }
  }

  async addScore(score: TraceScore): Promise<void> {
    if (!this.scores.has(score.id)) this.scores.set(score.id, { ...score });
  }

  async listTraces(query: TraceQuery): Promise<TracePage> {
    const limit = traceLimitOf(query);
    const after = query.cursor === undefined ? undefined : parseTraceCursor(query.cursor);
    const matching: TraceSummary[] = [];
    for (const trace of this.traces.values()) {
      const spans = [...trace.values()];
      if (query.requestId !== undefined && !spans.some((span) => span.requestId === query.requestId)) continue;
      if (query.sessionId !== undefined && !spans.some((span) => span.sessionId === query.sessionId)) continue;
      if (query.workspaceId !== undefined && !spans.some((span) => span.workspaceId === query.workspaceId)) continue;
      if (query.organisationId !== undefined && !spans.some((span) => span.organisationId === query.organisationId)) continue;
      const summary = summariseTrace(spans);
      if (query.since !== undefined && summary.startTime < query.since) continue;
      if (query.until !== undefined && summary.startTime >= query.until) continue;
      if (after !== undefined && !isBefore(summary, after)) continue;
      matching.push(summary);
    }
    matching.sort((left, right) => right.startTime - left.startTime || (right.traceId < left.traceId ? -1 : right.traceId > left.traceId ? 1 : 0));
    const page = matching.slice(0, limit);
    return matching.length > limit ? { traces: page, nextCursor: traceCursorOf(page[page.length - 1]) } : { traces: page };
  }

  async getTrace(traceId: string): Promise<StoredTrace | undefined> {
    const trace = this.traces.get(traceId);
    if (trace === undefined || trace.size === 0) return undefined;
    const spans = [...trace.values()].map((span) => structuredClone(span)).sort((left, right) => left.startTime - right.startTime);
    const scores = [...this.scores.values()].filter((score) => score.traceId === traceId).sort((left, right) => left.createdAt - right.createdAt);
    return { traceId, spans, scores: scores.map((score) => ({ ...score })) };
  }

  async prune(before: number, maxSpans: number): Promise<number> {
    const starts = [...this.traces.values()].flatMap((trace) => [...trace.values()].map((span) => span.startTime)).filter((start) => start < before).sort((left, right) => left - right);
    const bound = starts.length > maxSpans ? Math.min(before, starts[maxSpans - 1] + 1) : before;
    let deleted = 0;
    for (const [traceId, trace] of this.traces) {
      for (const [spanId, span] of trace) {
        if (span.startTime < bound) {
          trace.delete(spanId);
          deleted += 1;
        }
      }
      if (trace.size === 0) this.traces.delete(traceId);
    }
    for (const [id, score] of this.scores) if (score.createdAt < before) this.scores.delete(id);
    return deleted;
  }
}

/** True when `summary` comes after the cursor in newest-first order. */
function isBefore(summary: TraceSummary, cursor: { startTime: number; traceId: string }): boolean {
  return summary.startTime < cursor.startTime || (summary.startTime === cursor.startTime && summary.traceId < cursor.traceId);
}
