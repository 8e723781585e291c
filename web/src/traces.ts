import { apiGet, ApiError, type ListAnswer } from './api.js';
import type { WaterfallItem } from './charts/waterfall.js';

/** The trace API's types (`/admin/v1/traces`), as the server defines them (type-only import). */
import type { TraceScore, TraceSpan, TraceSummary } from '../../src/observatory/tracing/trace-types.js';

export type { TraceSummary };
export type Span = TraceSpan;
export type Score = TraceScore;

export interface TraceDetail {
  traceId: string;
  spans: Span[];
  scores: Score[];
}

/** The traces a request belongs to; `undefined` when this gateway has no trace API yet. */
export async function tracesOfRequest(requestId: string): Promise<TraceSummary[] | undefined> {
  try {
    return (await apiGet<ListAnswer<TraceSummary>>('/admin/v1/traces', { requestId, limit: 10 })).data;
  } catch (error) {
    if (error instanceof ApiError && error.unavailable) return undefined;
    throw error;
  }
}

/** Spans in tree order (parents before children, siblings by start), each with its depth. */
export function spanWaterfall(spans: Span[]): WaterfallItem[] {
  const known = new Set(spans.map((span) => span.spanId));
  const children = new Map<string, Span[]>();
  for (const span of spans) {
    const parent = span.parentSpanId !== undefined && known.has(span.parentSpanId) ? span.parentSpanId : '';
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const items: WaterfallItem[] = [];
  const visit = (parent: string, depth: number) => {
    for (const span of (children.get(parent) ?? []).sort((left, right) => left.startTime - right.startTime)) {
      items.push({ id: span.spanId, label: `${span.name}`, start: span.startTime, end: span.endTime, depth, status: span.status, detail: `${span.kind} ${span.name}` });
      visit(span.spanId, depth + 1);
    }
  };
  visit('', 0);
  return items;
}
