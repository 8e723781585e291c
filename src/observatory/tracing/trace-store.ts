import type { TraceQuery, TraceScore, TraceSpan, TraceSummary } from './trace-types.js';

/** A page of traces. */
export interface TracePage {
  traces: TraceSummary[];
  /** Pass as `cursor` for the next page; absent on the last one. */
  nextCursor?: string;
}

/** A whole trace. */
export interface StoredTrace {
  traceId: string;
  /** Ordered by start time. */
  spans: TraceSpan[];
  /** Ordered by creation time. */
  scores: TraceScore[];
}

/**
 * Where spans and scores are kept (memory for tests, SQL for SQLite and PostgreSQL). Writes come through a
 * batched writer, never from the response path. Every implementation passes `trace-store-contract.ts`.
 */
export interface TraceStore {
  /** Stores spans; a span whose (traceId, spanId) is already stored is ignored (a batch may be retried). */
  appendSpans(spans: readonly TraceSpan[]): Promise<void>;
  /** Stores a score (ids are unique; a repeated id is ignored). */
  addScore(score: TraceScore): Promise<void>;
  /**
   * Traces, newest first by their first span's start (then by trace id, descending), which `since` and
   * `until` bound too. Filtered by workspace or organisation, a trace is listed when it has a span of that
   * scope, and ordered and bounded by its first span of that scope: the only order a page can be found in
   * without reading every trace's spans, and the one in which the scope's own activity appears. Pages with the
   * cursor are stable: no trace twice and none left out, however a trace's spans interleave with others'.
   */
  listTraces(query: TraceQuery): Promise<TracePage>;
  /** One trace, or undefined when no span of it is stored. */
  getTrace(traceId: string): Promise<StoredTrace | undefined>;
  /**
   * Deletes the oldest spans that started before `before` (epoch ms), about `maxSpans` at a time (spans that
   * share the last start time go together), and scores created before it; returns the spans deleted. The
   * retention job calls it until it deletes fewer than `maxSpans`.
   */
  prune(before: number, maxSpans: number): Promise<number>;
}

/** The cursor of a trace in the newest-first order. */
export function traceCursorOf(summary: Pick<TraceSummary, 'startTime' | 'traceId'>): string {
  return `${summary.startTime}.${summary.traceId}`;
}

/** Reads a cursor back; undefined when it is malformed (the caller answers 400). */
export function parseTraceCursor(cursor: string): { startTime: number; traceId: string } | undefined {
  const match = /^(\d+)\.([0-9a-f]{32})$/.exec(cursor);
  return match === null ? undefined : { startTime: Number(match[1]), traceId: match[2] };
}
