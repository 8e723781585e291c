import type { LedgerRow } from '../ledger-row.js';
import { genAi, switchyardAttributes } from './gen-ai-attributes.js';
import type { RequestTimeline, RequestTrace } from './request-timeline.js';
import { isSampled, newSpanId, newTraceId, parseTraceParent } from './trace-ids.js';
import type { AttributeValue, TraceSpan } from './trace-types.js';

/** What {@link buildRequestSpans} reads besides the ledger row. */
export interface RequestSpanInput {
  row: LedgerRow;
  timeline?: RequestTimeline;
  /** The client's `traceparent` (used when the request never reached routing, so it has no trace yet). */
  traceparent?: string;
  sessionId?: string;
  /** Sampling ratio for a trace that starts here (one that never reached routing). */
  sampleRatio: number;
}

/** The spans of one gateway request, and whether its trace is sampled for export. */
export interface RequestSpans {
  spans: TraceSpan[];
  sampled: boolean;
}

/**
 * Turns a finished request into its spans, after the fact: a root `request` span (the gateway as a server),
 * a `stage` span each for authenticate, govern and route when the request got that far, and an `attempt`
 * span per upstream call (the gateway as a GenAI client) under the route span. Attributes follow the
 * OpenTelemetry GenAI conventions: token counts are inclusive there (input = uncached + cache reads + cache
 * writes; output = output + reasoning), where the ledger keeps exclusive buckets.
 */
export function buildRequestSpans(input: RequestSpanInput): RequestSpans {
  const { row, timeline } = input;
  const trace = timeline?.trace ?? startTrace(input.traceparent, input.sampleRatio);
  const start = row.timestamp;
  const end = row.timestamp + row.latencyMs;
  const startedMonotonic = timeline?.startedMonotonic ?? 0;
  const wallOf = (monotonic: number) => Math.round(start + (monotonic - startedMonotonic));
  // `chat` and `embeddings` are GenAI operation names; `count_tokens` has none in the conventions and is kept.
  const operation = row.operation;
  const common = { traceId: trace.traceId, requestId: row.id, sessionId: input.sessionId, organisationId: row.organisationId, workspaceId: row.workspaceId };

  const rootAttributes: Record<string, AttributeValue> = {
    [genAi.operationName]: operation,
    [genAi.requestModel]: row.requestedModel,
    [switchyardAttributes.requestId]: row.id,
    [switchyardAttributes.httpStatus]: row.httpStatus,
    [switchyardAttributes.usageSource]: row.usageSource,
  };
  if (row.stream) rootAttributes[genAi.requestStream] = true;
  if (row.keyId !== undefined) rootAttributes[switchyardAttributes.keyId] = row.keyId;
  if (row.servedProvider !== undefined) rootAttributes[genAi.providerName] = row.servedProvider;
  if (row.servedModel !== undefined) rootAttributes[genAi.responseModel] = row.servedModel;
  if (row.costMicros !== undefined) rootAttributes[switchyardAttributes.costMicros] = row.costMicros;
  if (row.gatewayOverheadMs !== undefined) rootAttributes[switchyardAttributes.gatewayOverheadMs] = row.gatewayOverheadMs;
  if (input.sessionId !== undefined) rootAttributes[genAi.conversationId] = input.sessionId;
  addResultAttributes(rootAttributes, row);

  const spans: TraceSpan[] = [
    {
      ...common,
      spanId: trace.requestSpanId,
      parentSpanId: trace.parentSpanId,
      name: `${operation} ${row.requestedModel}`,
      kind: 'request',
      startTime: start,
      endTime: end,
      status: row.status,
      attributes: rootAttributes,
    },
  ];
  const stage = (name: string, from: number, to: number, status: 'ok' | 'error'): TraceSpan => ({
    ...common,
    spanId: newSpanId(),
    parentSpanId: trace.requestSpanId,
    name: `switchyard.${name}`,
    kind: 'stage',
    startTime: from,
    endTime: Math.max(from, to),
    status,
    attributes: {},
  });
  const authenticated = timeline?.authenticatedMonotonic;
  const governed = timeline?.governedMonotonic;
  const realAttempts = timeline?.attempts.filter((attempt) => attempt.outcome !== 'skipped') ?? [];
  const failedEarly = row.status === 'error' && realAttempts.length === 0;
  if (authenticated !== undefined) {
    spans.push(stage('authenticate', start, wallOf(authenticated), failedEarly && governed === undefined ? 'error' : 'ok'));
  }
  if (authenticated !== undefined && governed !== undefined) {
    spans.push(stage('govern', wallOf(authenticated), wallOf(governed), failedEarly ? 'error' : 'ok'));
  }
  if (timeline === undefined || timeline.attempts.length === 0) return { spans, sampled: trace.sampled };

  const routeStart = governed ?? authenticated;
  const route = stage('route', routeStart === undefined ? start : wallOf(routeStart), end, row.status);
  const skipped = timeline.attempts.length - realAttempts.length;
  if (skipped > 0) route.attributes[switchyardAttributes.skippedDeployments] = skipped;
  spans.push(route);
  realAttempts.forEach((attempt, index) => {
    const succeeded = attempt.outcome === 'success';
    const attributes: Record<string, AttributeValue> = {
      [genAi.operationName]: operation,
      [genAi.providerName]: attempt.provider,
      [genAi.requestModel]: attempt.model,
      [switchyardAttributes.deploymentId]: attempt.deploymentId,
      [switchyardAttributes.routeGroup]: attempt.group,
    };
    if (attempt.reason !== undefined) attributes[switchyardAttributes.attemptReason] = attempt.reason;
    if (attempt.upstreamStatus !== undefined) attributes[switchyardAttributes.upstreamStatus] = attempt.upstreamStatus;
    if (attempt.errorCode !== undefined) attributes[genAi.errorType] = attempt.errorCode;
    // The attempt that served the request carries its answer; a stream's attempt lasts until the stream ends.
    const isServing = succeeded && index === realAttempts.length - 1;
    if (isServing) {
      if (row.servedModel !== undefined) attributes[genAi.responseModel] = row.servedModel;
      if (row.stream) attributes[genAi.requestStream] = true;
      addResultAttributes(attributes, row);
    }
    spans.push({
      ...common,
      spanId: trace.attemptSpanIds[index] ?? newSpanId(),
      parentSpanId: route.spanId,
      name: `${operation} ${attempt.model}`,
      kind: 'attempt',
      startTime: attempt.startedAt,
      endTime: isServing && row.stream ? Math.max(end, attempt.startedAt) : attempt.startedAt + attempt.durationMs,
      status: succeeded && !(isServing && row.status === 'error') ? 'ok' : 'error',
      attributes,
    });
  });
  return { spans, sampled: trace.sampled };
}

function startTrace(traceparent: string | undefined, sampleRatio: number): RequestTrace {
  const parent = parseTraceParent(traceparent);
  const traceId = parent?.traceId ?? newTraceId();
  return { traceId, requestSpanId: newSpanId(), parentSpanId: parent?.spanId, sampled: isSampled(traceId, sampleRatio, parent?.sampled), attemptSpanIds: [] };
}

/** Usage (inclusive GenAI counts), finish reason, time to first token and error of a request. */
function addResultAttributes(attributes: Record<string, AttributeValue>, row: LedgerRow): void {
  const known = row.inputTokens !== undefined || row.cacheReadTokens !== undefined || row.cacheWriteTokens !== undefined;
  if (known) attributes[genAi.usageInputTokens] = (row.inputTokens ?? 0) + (row.cacheReadTokens ?? 0) + (row.cacheWriteTokens ?? 0);
  if (row.cacheReadTokens !== undefined) attributes[genAi.usageCacheReadInputTokens] = row.cacheReadTokens;
  if (row.cacheWriteTokens !== undefined) attributes[genAi.usageCacheCreationInputTokens] = row.cacheWriteTokens;
  if (row.outputTokens !== undefined || row.reasoningTokens !== undefined) {
    attributes[genAi.usageOutputTokens] = (row.outputTokens ?? 0) + (row.reasoningTokens ?? 0);
  }
  if (row.reasoningTokens !== undefined) attributes[genAi.usageReasoningOutputTokens] = row.reasoningTokens;
  if (row.finishReason !== undefined) attributes[genAi.responseFinishReasons] = row.finishReason;
  if (row.timeToFirstTokenMs !== undefined) attributes[genAi.responseTimeToFirstChunk] = row.timeToFirstTokenMs / 1000;
  if (row.errorCode !== undefined) attributes[genAi.errorType] = row.errorCode;
}
