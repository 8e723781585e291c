import { z } from 'zod';

/** What a span stands for: the gateway's own request, stage and attempt spans, or an application's observation. */
export type SpanKind = 'request' | 'stage' | 'attempt' | 'span' | 'generation' | 'tool' | 'retrieval' | 'event';

export const spanKinds: readonly SpanKind[] = ['request', 'stage', 'attempt', 'span', 'generation', 'tool', 'retrieval', 'event'];

/** A span attribute value (arrays are flattened to comma-joined strings). */
export type AttributeValue = string | number | boolean;

/**
 * One span of a trace. Times are epoch milliseconds. `workspaceId` / `organisationId` say whose it is (the
 * key that made the request or sent the observation; absent for the master key), so reads can be scoped.
 */
export const traceSpanSchema = z.object({
  traceId: z.string(),
  spanId: z.string(),
  parentSpanId: z.string().optional(),
  name: z.string(),
  kind: z.enum(['request', 'stage', 'attempt', 'span', 'generation', 'tool', 'retrieval', 'event']),
  startTime: z.number(),
  endTime: z.number(),
  status: z.enum(['ok', 'error']),
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  requestId: z.string().optional().describe('The gateway request this span belongs to (gateway spans only).'),
  sessionId: z.string().optional(),
  organisationId: z.string().optional(),
  workspaceId: z.string().optional(),
  input: z.unknown().optional().describe("An application observation's input, as sent (JSON)."),
  output: z.unknown().optional().describe("An application observation's output, as sent (JSON)."),
});
export type TraceSpan = z.infer<typeof traceSpanSchema>;

/** A score's value type. */
export type ScoreDataType = 'numeric' | 'categorical' | 'boolean';

/** A score on a trace or one of its spans: human feedback, an evaluation, or a rule's verdict. */
export const traceScoreSchema = z.object({
  id: z.string(),
  traceId: z.string(),
  spanId: z.string().optional(),
  name: z.string(),
  value: z.union([z.number(), z.string(), z.boolean()]),
  dataType: z.enum(['numeric', 'categorical', 'boolean']),
  source: z.enum(['api', 'dashboard', 'rule']),
  comment: z.string().optional(),
  createdAt: z.number().int().describe('Epoch ms.'),
  organisationId: z.string().optional(),
  workspaceId: z.string().optional(),
});
export type TraceScore = z.infer<typeof traceScoreSchema>;

/** One line of the trace list. */
export const traceSummarySchema = z.object({
  traceId: z.string(),
  name: z.string().describe("The root span's name (the earliest span's when no root is stored)."),
  startTime: z.number(),
  endTime: z.number(),
  spanCount: z.number().int(),
  requestIds: z.array(z.string()),
  sessionId: z.string().optional(),
  status: z.enum(['ok', 'error']).describe('`error` when any span but an upstream attempt failed.'),
});
export type TraceSummary = z.infer<typeof traceSummarySchema>;

/** A whole trace: spans ordered by start time, scores by creation time. */
export const storedTraceSchema = z.object({ traceId: z.string(), spans: z.array(traceSpanSchema), scores: z.array(traceScoreSchema) });

/**
 * Filter of {@link TraceStore.listTraces}. Times are epoch ms and bound the trace's first span (its first span
 * of the workspace or organisation when one is given).
 */
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
