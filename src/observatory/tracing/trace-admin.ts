import { z } from 'zod';
import { GatewayError } from '../../spec/index.js';
import type { AdminCall, AdminDependencies } from '../../governance/admin/admin-dependencies.js';
import { parseInput } from '../../governance/admin/admin-input.js';
import { runAdminRead, type AdminOperation } from '../../governance/admin/admin-operation.js';
import type { ForeignPricing } from './gen-ai-usage.js';
import { observationSchema, spanOfObservation, traceIdSchema, type ObservationOwner } from './observation-ingestion.js';
import { decodeOtlpSpans, exportTraceServiceRequestSchema } from './otlp-decoding.js';
import { decodeExportTraceServiceRequest } from './otlp-protobuf.js';
import { scoreInputSchema, scoreOf } from './trace-scores.js';
import { parseTraceCursor, type StoredTrace, type TracePage, type TraceStore } from './trace-store.js';
import { maximumTraceLimit, type TraceScore, type TraceSpan } from './trace-types.js';

/** What the trace routes need. */
export interface TraceAdminDependencies extends AdminDependencies {
  traces: TraceStore;
  /** Queues applications' spans for storage and export. */
  ingest(spans: readonly TraceSpan[]): void;
  /** Prices of the models applications report, for their spans' cost. */
  pricing?: ForeignPricing;
}

/** Whose traces a caller reaches: all (master key), one organisation's, or one workspace's. */
export type TraceScope = ObservationOwner;

/**
 * The traces a caller may read or write: everything for the master key, the organisation with an
 * organisation-wide role, else the caller's own workspace (a key acts in its workspace).
 */
export function traceScopeOf(operation: AdminOperation, action: 'traces:read' | 'traces:write'): TraceScope {
  const principal = operation.principal;
  if (principal.kind === 'master') return {};
  const target = { kind: 'traces', id: principal.workspaceId ?? '*' };
  if (operation.may(action, { organisationId: principal.organisationId })) return { organisationId: principal.organisationId };
  if (principal.workspaceId === undefined) operation.deny(`This needs ${action} in a workspace or an organisation-wide role.`, { organisationId: principal.organisationId }, target);
  operation.authorise(action, { organisationId: principal.organisationId, workspaceId: principal.workspaceId }, target);
  return { organisationId: principal.organisationId, workspaceId: principal.workspaceId };
}

function inScope(item: { organisationId?: string; workspaceId?: string }, scope: TraceScope): boolean {
  if (scope.workspaceId !== undefined) return item.workspaceId === scope.workspaceId;
  if (scope.organisationId !== undefined) return item.organisationId === scope.organisationId;
  return true;
}

const timeParameter = z.coerce.number().int().nonnegative();

export const listTracesQuerySchema = z.strictObject({
  requestId: z.string().min(1).optional(),
  sessionId: z.string().min(1).optional(),
  since: timeParameter.optional(),
  until: timeParameter.optional(),
  limit: z.coerce.number().int().min(1).max(maximumTraceLimit).optional(),
  cursor: z.string().refine((cursor) => parseTraceCursor(cursor) !== undefined, 'not a cursor this API gave').optional(),
});

/** `GET /admin/v1/traces`: the traces the caller may read, newest first. */
export async function listTraces(dependencies: TraceAdminDependencies, call: AdminCall, input: unknown): Promise<TracePage> {
  const query = parseInput(listTracesQuerySchema, input, 'query');
  const scope = await runAdminRead(dependencies, call, 'traces.list', async (operation) => traceScopeOf(operation, 'traces:read'));
  return dependencies.traces.listTraces({ ...query, workspaceId: scope.workspaceId, organisationId: scope.workspaceId === undefined ? scope.organisationId : undefined });
}

/** `GET /admin/v1/traces/{traceId}`: the spans and scores of one trace the caller may read (404 otherwise). */
export async function getTrace(dependencies: TraceAdminDependencies, call: AdminCall, traceIdInput: string): Promise<StoredTrace> {
  const traceId = parseInput(traceIdSchema, traceIdInput, 'traceId');
  const scope = await runAdminRead(dependencies, call, 'traces.get', async (operation) => traceScopeOf(operation, 'traces:read'));
  const trace = await dependencies.traces.getTrace(traceId);
  const spans = trace?.spans.filter((span) => inScope(span, scope)) ?? [];
  if (trace === undefined || spans.length === 0) throw new GatewayError('not_found', `No trace ${traceId}.`);
  return { traceId, spans, scores: trace.scores.filter((score) => inScope(score, scope)) };
}

/**
 * `POST /admin/v1/scores` (API and dashboard): scores a trace, or one span of it, that the caller may see.
 * The score belongs to the trace's owner, so whoever reads the trace sees it.
 */
export async function createScore(dependencies: TraceAdminDependencies, call: AdminCall, input: unknown): Promise<TraceScore> {
  const body = parseInput(scoreInputSchema, input);
  const scope = await runAdminRead(dependencies, call, 'scores.create', async (operation) => traceScopeOf(operation, 'traces:write'));
  const trace = await dependencies.traces.getTrace(body.traceId);
  const visible = trace?.spans.filter((span) => inScope(span, scope)) ?? [];
  if (visible.length === 0) throw new GatewayError('not_found', `No trace ${body.traceId}.`, { param: 'traceId' });
  if (body.spanId !== undefined && !visible.some((span) => span.spanId === body.spanId)) {
    throw new GatewayError('not_found', `No span ${body.spanId} in trace ${body.traceId}.`, { param: 'spanId' });
  }
  const owner = visible.find((span) => span.workspaceId !== undefined || span.organisationId !== undefined) ?? scope;
  const score = scoreOf(body, dependencies.now(), { organisationId: owner.organisationId, workspaceId: owner.workspaceId });
  await dependencies.traces.addScore(score);
  return score;
}

export const ingestionBatchSchema = z.strictObject({
  batch: z.array(z.unknown()).max(1000, 'at most 1000 observations a batch').default([]),
  scores: z.array(z.unknown()).max(1000, 'at most 1000 scores a batch').default([]),
});

/** The answer to an ingestion batch: what was accepted and what not, per item (by position in its list). */
export interface IngestionResult {
  object: 'ingestion.result';
  successes: Array<{ index: number; id: string; kind: 'observation' | 'score' }>;
  errors: Array<{ index: number; id?: string; kind: 'observation' | 'score'; message: string }>;
}

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue.path.map(String).join('.');
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}

/**
 * `POST /v1/observations`: an application's spans, generations, tool calls, retrieval steps and events,
 * and scores on them. Each item is validated alone (partial success); valid observations are queued for
 * storage and export as the sender's. A score must name a trace the sender can see or sends in this batch.
 */
export async function ingestObservations(dependencies: TraceAdminDependencies, call: AdminCall, input: unknown): Promise<IngestionResult> {
  const body = parseInput(ingestionBatchSchema, input);
  const scope = await runAdminRead(dependencies, call, 'traces.ingest', async (operation) => traceScopeOf(operation, 'traces:write'));
  const result: IngestionResult = { object: 'ingestion.result', successes: [], errors: [] };
  const spans: TraceSpan[] = [];
  body.batch.forEach((item, index) => {
    const parsed = observationSchema.safeParse(item);
    const id = typeof (item as { id?: unknown } | null)?.id === 'string' ? (item as { id: string }).id : undefined;
    if (!parsed.success) {
      result.errors.push({ index, id, kind: 'observation', message: issueText(parsed.error) });
      return;
    }
    spans.push(spanOfObservation(parsed.data, scope, dependencies.pricing));
    result.successes.push({ index, id: parsed.data.id, kind: 'observation' });
  });
  dependencies.ingest(spans);
  const sentTraces = new Set(spans.map((span) => span.traceId));
  for (const [index, item] of body.scores.entries()) {
    const parsed = scoreInputSchema.safeParse(item);
    if (!parsed.success) {
      result.errors.push({ index, kind: 'score', message: issueText(parsed.error) });
      continue;
    }
    const score = parsed.data;
    const trace = sentTraces.has(score.traceId) ? undefined : await dependencies.traces.getTrace(score.traceId);
    if (!sentTraces.has(score.traceId) && !(trace?.spans.some((span) => inScope(span, scope)) ?? false)) {
      result.errors.push({ index, kind: 'score', message: `No trace ${score.traceId}.` });
      continue;
    }
    const created = scoreOf(score, dependencies.now(), scope);
    await dependencies.traces.addScore(created);
    result.successes.push({ index, id: created.id, kind: 'score' });
  }
  return result;
}

/** The OTLP/HTTP answer: `partialSuccess` when some spans were rejected. */
export interface OtlpExportResponse {
  partialSuccess?: { rejectedSpans: string; errorMessage: string };
}

/** `POST /v1/traces`: an OTLP/HTTP JSON export from an application, stored and forwarded as its observations. */
export async function ingestOtlpTraces(dependencies: TraceAdminDependencies, call: AdminCall, input: unknown): Promise<OtlpExportResponse> {
  const body = parseInput(exportTraceServiceRequestSchema, input);
  const scope = await runAdminRead(dependencies, call, 'traces.ingest', async (operation) => traceScopeOf(operation, 'traces:write'));
  const decoded = decodeOtlpSpans(body, scope, dependencies.pricing);
  dependencies.ingest(decoded.spans);
  return decoded.rejected === 0 ? {} : { partialSuccess: { rejectedSpans: String(decoded.rejected), errorMessage: decoded.errorMessage ?? '' } };
}

/** `POST /v1/traces` with `application/x-protobuf`: the same as JSON, from the protobuf encoding. */
export async function ingestOtlpProtobuf(dependencies: TraceAdminDependencies, call: AdminCall, bytes: Uint8Array): Promise<OtlpExportResponse> {
  let decoded: unknown;
  try {
    decoded = decodeExportTraceServiceRequest(bytes);
  } catch (error) {
    throw new GatewayError('invalid_request', `The body is not an OTLP ExportTraceServiceRequest in protobuf (${error instanceof Error ? error.message : 'unreadable'})`);
  }
  return ingestOtlpTraces(dependencies, call, decoded);
}
