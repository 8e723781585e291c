import { createHash } from 'node:crypto';
import type { LedgerRow } from '../ledger-row.js';
import { genAi, switchyardAttributes } from './gen-ai-attributes.js';
import type { AttributeValue, TraceSpan } from './trace-types.js';

/**
 * Derives a traced request's spans from its ledger row, when a trace is read or exported (nothing is stored
 * per request; see docs/decisions/0010): a root `request` span (the gateway as a server), a `stage` span each
 * for authenticate, govern and route when the request got that far, and an `attempt` span per upstream call
 * (the gateway as a GenAI client) under the route span. The same row always gives the same spans, ids
 * included, so a score can name a stage span. Attributes follow the OpenTelemetry GenAI conventions: token
 * counts are inclusive there (input = uncached + cache reads + cache writes; output = output + reasoning),
 * where the ledger keeps exclusive buckets. A row without a trace (tracing was off) has no spans.
 */
export function buildRequestSpans(row: LedgerRow): TraceSpan[] {
  const trace = row.trace;
  if (trace === undefined) return [];
  // Whole milliseconds, as the trace store has always answered (latency and durations are fractional).
  const start = Math.round(row.timestamp);
  const end = Math.round(row.timestamp + row.latencyMs);
  // `chat` and `embeddings` are GenAI operation names; `count_tokens` has none in the conventions and is kept.
  const operation = row.operation;
  const common: Pick<TraceSpan, 'traceId' | 'requestId' | 'sessionId' | 'organisationId' | 'workspaceId'> = { traceId: trace.traceId, requestId: row.id };
  if (trace.sessionId !== undefined) common.sessionId = trace.sessionId;
  if (row.organisationId !== undefined) common.organisationId = row.organisationId;
  if (row.workspaceId !== undefined) common.workspaceId = row.workspaceId;

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
  if (trace.sessionId !== undefined) rootAttributes[genAi.conversationId] = trace.sessionId;
  addResultAttributes(rootAttributes, row);

  const root: TraceSpan = {
    ...common,
    spanId: trace.requestSpanId,
    name: `${operation} ${row.requestedModel}`,
    kind: 'request',
    startTime: start,
    endTime: end,
    status: row.status,
    attributes: rootAttributes,
  };
  if (trace.parentSpanId !== undefined) root.parentSpanId = trace.parentSpanId;
  const spans: TraceSpan[] = [root];
  const stage = (name: string, from: number, to: number, status: 'ok' | 'error'): TraceSpan => ({
    ...common,
    spanId: derivedSpanId(trace.requestSpanId, name),
    parentSpanId: trace.requestSpanId,
    name: `switchyard.${name}`,
    kind: 'stage',
    startTime: from,
    endTime: Math.max(from, to),
    status,
    attributes: {},
  });
  const authenticated = trace.authenticatedAfterMs;
  const governed = trace.governedAfterMs;
  const realAttempts = row.attempts.flatMap((attempt, index) => (attempt.outcome === 'skipped' ? [] : [{ attempt, timing: trace.attempts[index], index }]));
  const failedEarly = row.status === 'error' && realAttempts.length === 0;
  if (authenticated !== undefined) {
    spans.push(stage('authenticate', start, start + authenticated, failedEarly && governed === undefined ? 'error' : 'ok'));
  }
  if (authenticated !== undefined && governed !== undefined) {
    spans.push(stage('govern', start + authenticated, start + governed, failedEarly ? 'error' : 'ok'));
  }
  if (row.attempts.length === 0) return spans;

  const routeStart = governed ?? authenticated;
  const route = stage('route', routeStart === undefined ? start : start + routeStart, end, row.status);
  const skipped = row.attempts.length - realAttempts.length;
  if (skipped > 0) route.attributes[switchyardAttributes.skippedDeployments] = skipped;
  spans.push(route);
  realAttempts.forEach(({ attempt, timing, index }, realIndex) => {
    const succeeded = attempt.outcome === 'success';
    const attributes: Record<string, AttributeValue> = {
      [genAi.operationName]: operation,
      [genAi.providerName]: attempt.provider,
      [genAi.requestModel]: attempt.model,
      [switchyardAttributes.deploymentId]: attempt.deploymentId,
    };
    if (timing?.group !== undefined) attributes[switchyardAttributes.routeGroup] = timing.group;
    if (timing?.reason !== undefined) attributes[switchyardAttributes.attemptReason] = timing.reason;
    if (attempt.upstreamStatus !== undefined) attributes[switchyardAttributes.upstreamStatus] = attempt.upstreamStatus;
    if (attempt.errorCode !== undefined) attributes[genAi.errorType] = attempt.errorCode;
    // The attempt that served the request carries its answer; a stream's attempt lasts until the stream ends.
    const isServing = succeeded && realIndex === realAttempts.length - 1;
    if (isServing) {
      if (row.servedModel !== undefined) attributes[genAi.responseModel] = row.servedModel;
      if (row.stream) attributes[genAi.requestStream] = true;
      addResultAttributes(attributes, row);
    }
    const startedAt = Math.round(start + (timing?.startedAfterMs ?? 0));
    spans.push({
      ...common,
      spanId: timing?.spanId ?? derivedSpanId(trace.requestSpanId, `attempt-${index}`),
      parentSpanId: route.spanId,
      name: `${operation} ${attempt.model}`,
      kind: 'attempt',
      startTime: startedAt,
      endTime: isServing && row.stream ? Math.max(end, startedAt) : Math.round(startedAt + attempt.durationMs),
      status: succeeded && !(isServing && row.status === 'error') ? 'ok' : 'error',
      attributes,
    });
  });
  return spans;
}

/**
 * A span id that the same request span and part always give (stage spans, and an attempt that never called
 * its provider): 16 hex digits of a hash, so they are stable across reads and exports without being stored.
 */
function derivedSpanId(requestSpanId: string, part: string): string {
  const id = createHash('sha256').update(`${requestSpanId}/${part}`).digest('hex').slice(0, 16);
  return id === '0'.repeat(16) ? '1'.repeat(16) : id;
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
