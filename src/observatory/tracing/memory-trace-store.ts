import type { LedgerRow } from '../ledger-row.js';
import { buildRequestSpans } from './request-spans.js';
import { parseTraceCursor, traceCursorOf, type StoredTrace, type TracePage, type TraceStore } from './trace-store.js';
import { summariseTrace } from './trace-summary.js';
import { traceLimitOf, type TraceQuery, type TraceScore, type TraceSpan, type TraceSummary } from './trace-types.js';

/** Where a memory trace store finds the gateway's requests (the memory usage ledger has this). */
export interface TracedRequestRows {
  /** The ledger rows that carry a trace. */
  tracedRows(): LedgerRow[];
}

/**
 * A {@link TraceStore} in memory (tests, and a gateway run without a database). Stored spans are
 * applications'; the gateway's are derived from the traced rows of `ledger`, as the SQL store does.
 */
export class MemoryTraceStore implements TraceStore {
  private readonly traces = new Map<string, Map<string, TraceSpan>>();
  private readonly scores = new Map<string, TraceScore>();
  private readonly ledger?: TracedRequestRows;

  constructor(options: { ledger?: TracedRequestRows } = {}) {
    this.ledger = options.ledger;
  }

  /** Every trace's spans: stored ones and those derived from the ledger's rows. */
  private allTraces(): Map<string, TraceSpan[]> {
    const all = new Map<string, TraceSpan[]>();
    const add = (span: TraceSpan) => {
      const list = all.get(span.traceId);
      if (list === undefined) all.set(span.traceId, [span]);
      else list.push(span);
    };
    for (const trace of this.traces.values()) for (const span of trace.values()) add(structuredClone(span));
    for (const row of this.ledger?.tracedRows() ?? []) for (const span of buildRequestSpans(row)) add(span);
    return all;
  }

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
    const matching: Array<{ summary: TraceSummary; firstStart: number }> = [];
    for (const spans of this.allTraces().values()) {
      if (query.requestId !== undefined && !spans.some((span) => span.requestId === query.requestId)) continue;
      if (query.sessionId !== undefined && !spans.some((span) => span.sessionId === query.sessionId)) continue;
      // A scoped list orders and bounds a trace by its first span of the scope (see TraceStore.listTraces).
      const scoped = spans.filter(
        (span) => (query.workspaceId === undefined || span.workspaceId === query.workspaceId) && (query.organisationId === undefined || span.organisationId === query.organisationId),
      );
      if (scoped.length === 0) continue;
      const firstStart = scoped.reduce((first, span) => Math.min(first, span.startTime), Infinity);
      const summary = summariseTrace(spans);
      if (query.since !== undefined && firstStart < query.since) continue;
      if (query.until !== undefined && firstStart >= query.until) continue;
      if (after !== undefined && !isBefore({ startTime: firstStart, traceId: summary.traceId }, after)) continue;
      matching.push({ summary, firstStart });
    }
    matching.sort((left, right) => right.firstStart - left.firstStart || (right.summary.traceId < left.summary.traceId ? -1 : right.summary.traceId > left.summary.traceId ? 1 : 0));
    const page = matching.slice(0, limit);
    const traces = page.map((entry) => entry.summary);
    if (matching.length <= limit) return { traces };
    const last = page[page.length - 1];
    return { traces, nextCursor: traceCursorOf({ startTime: last.firstStart, traceId: last.summary.traceId }) };
  }

  async getTrace(traceId: string): Promise<StoredTrace | undefined> {
    const found = this.allTraces().get(traceId);
    if (found === undefined || found.length === 0) return undefined;
    const spans = found.sort(bySpanStart);
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

/** True when a trace's key comes after the cursor in newest-first order. */
function isBefore(summary: { startTime: number; traceId: string }, cursor: { startTime: number; traceId: string }): boolean {
  return summary.startTime < cursor.startTime || (summary.startTime === cursor.startTime && summary.traceId < cursor.traceId);
}

/** Spans by start time; a stable sort keeps the order of equal starts (a request span before its stages). */
export function bySpanStart(left: TraceSpan, right: TraceSpan): number {
  return left.startTime - right.startTime;
}
