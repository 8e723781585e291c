/** What a span stands for: the gateway's own request, stage and attempt spans, or an application's observation. */
export type SpanKind = 'request' | 'stage' | 'attempt' | 'span' | 'generation' | 'tool' | 'retrieval' | 'event';

export const spanKinds: readonly SpanKind[] = ['request', 'stage', 'attempt', 'span', 'generation', 'tool', 'retrieval', 'event'];

/** A span attribute value (arrays are flattened to comma-joined strings). */
export type AttributeValue = string | number | boolean;

/**
 * One span of a trace. Times are epoch milliseconds. `workspaceId` / `organisationId` say whose it is (the
 * key that made the request or sent the observation; absent for the master key), so reads can be scoped.
 */
export interface TraceSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: SpanKind;
  startTime: number;
  endTime: number;
  status: 'ok' | 'error';
  attributes: Record<string, AttributeValue>;
  /** The gateway request this span belongs to (gateway spans only). */
  requestId?: string;
  sessionId?: string;
  organisationId?: string;
  workspaceId?: string;
  /** An application observation's input and output, as sent (JSON). */
  input?: unknown;
  output?: unknown;
}

/** A score's value type. */
export type ScoreDataType = 'numeric' | 'categorical' | 'boolean';

/** A score on a trace or one of its spans: human feedback, an evaluation, or a rule's verdict. */
export interface TraceScore {
  id: string;
  traceId: string;
  spanId?: string;
  name: string;
  value: number | string | boolean;
  dataType: ScoreDataType;
  source: 'api' | 'dashboard' | 'rule';
  comment?: string;
  /** Epoch ms. */
  createdAt: number;
  organisationId?: string;
  workspaceId?: string;
}

/** One line of the trace list. */
export interface TraceSummary {
  traceId: string;
  /** The root span's name (the earliest span's when no root is stored). */
  name: string;
  startTime: number;
  endTime: number;
  spanCount: number;
  requestIds: string[];
  sessionId?: string;
  /** `error` when any span but an upstream attempt failed. */
  status: 'ok' | 'error';
}

/** Filter of {@link TraceStore.listTraces}. Times are epoch ms and bound the trace's first span. */
export interface TraceQuery {
  requestId?: string;
  sessionId?: string;
  /** Inclusive. */
  since?: number;
  /** Exclusive. */
  until?: number;
  /** Only traces with a span of this workspace (a key's reads are held to its workspace). */
  workspaceId?: string;
  /** Only traces with a span of this organisation. */
  organisationId?: string;
  /** Default 50, at most 500. */
  limit?: number;
  /** Continue after this trace (newest-first order): the `nextCursor` of the previous page. */
  cursor?: string;
}

export const defaultTraceLimit = 50;
export const maximumTraceLimit = 500;

/** The effective page size of a query. */
export function traceLimitOf(query: TraceQuery): number {
  return Math.max(1, Math.min(Math.floor(query.limit ?? defaultTraceLimit), maximumTraceLimit));
}
