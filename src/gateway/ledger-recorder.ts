import { isUsageEmpty, type Clock, type Usage } from '../spec/index.js';
import type { GatewayMetrics, LedgerRow, LedgerWriter, RequestObserver } from '../observatory/index.js';
import { computeCostMicros, estimateChatInputTokens, estimateTextTokens } from '../observatory/index.js';
import type { DecodedChatRequest } from '../dialects/dialect.js';
import type { PriceLookup } from './price-lookup.js';
import { sourceTextOf, type RequestContext } from './request-context.js';
import type { TracePropagation } from '../observatory/tracing/request-timeline.js';

/** What accounting writes to. */
export interface AccountDependencies {
  ledger: LedgerWriter;
  /** Absent when `metrics.enabled` is false. */
  metrics?: GatewayMetrics;
  prices: PriceLookup;
  clock: Clock;
  /** Payload capture, traces, alert windows: each sees every finished request (see {@link RequestObserver}). */
  observers?: readonly RequestObserver[];
  /** Present when tracing is on: provider calls carry a `traceparent`, and each row carries its trace. */
  tracing?: TracePropagation;
}

/**
 * Turns a finished request's context into its one ledger row (queued for the batched writer, off the
 * response path) and its metrics. Usage the provider did not report is estimated and marked so.
 */
export function recordRequest(dependencies: AccountDependencies, context: RequestContext, outputText?: () => string): void {
  const latencyMs = dependencies.clock.monotonic() - context.startedMonotonic;
  let usage: Usage | undefined = context.usage;
  let usageSource: LedgerRow['usageSource'] = 'none';
  if (!isUsageEmpty(usage)) {
    usageSource = 'provider';
  } else if (context.served !== undefined && context.operation === 'chat' && context.chat !== undefined) {
    // The provider reported nothing (or the stream broke first): estimate, and say so.
    const output = outputText?.() ?? '';
    const outputTokens = context.estimatedOutputTokens ?? (output === '' ? 0 : estimateTextTokens(output));
    usage = { inputTokens: estimateInput(context.chat), outputTokens };
    usageSource = 'estimate';
  } else if (context.served !== undefined && context.embedInput !== undefined) {
    usage = { inputTokens: context.embedInput.reduce((sum, text) => sum + estimateTextTokens(text), 0) };
    usageSource = 'estimate';
  }
  const price = context.served ? dependencies.prices.priceOf(context.served.provider, context.served.model) : undefined;
  const upstreamMs = context.upstreamMs + context.attempts.reduce((sum, attempt) => sum + attempt.durationMs, 0);
  const error = context.error;
  const principal = context.principal;
  const row: LedgerRow = {
    id: context.requestId,
    timestamp: context.startedAt,
    keyId: principal?.keyId,
    organisationId: principal === undefined || principal.kind === 'master' ? undefined : principal.organisationId,
    workspaceId: principal === undefined || principal.kind === 'master' ? undefined : principal.workspaceId,
    teamId: principal === undefined || principal.kind === 'master' ? undefined : principal.teamId,
    dialect: context.dialect,
    operation: context.operation,
    requestedModel: context.requestedModel,
    servedProvider: context.served?.provider,
    servedModel: context.served?.model,
    deploymentId: context.served?.deploymentId,
    stream: context.stream,
    status: error === undefined ? 'ok' : 'error',
    httpStatus: error?.status ?? 200,
    errorCode: error?.code,
    attempts: context.attempts.map((attempt) => ({
      deploymentId: attempt.deploymentId,
      provider: attempt.provider,
      model: attempt.model,
      outcome: attempt.outcome,
      errorCode: attempt.errorCode,
      upstreamStatus: attempt.upstreamStatus,
      durationMs: attempt.durationMs,
    })),
    latencyMs,
    timeToFirstTokenMs: context.timeToFirstTokenMs,
    inputTokens: usage?.inputTokens,
    cacheReadTokens: usage?.cacheReadTokens,
    cacheWriteTokens: usage?.cacheWriteTokens,
    outputTokens: usage?.outputTokens,
    reasoningTokens: usage?.reasoningTokens,
    usageSource,
    costMicros: usage === undefined ? undefined : computeCostMicros(usage, price),
    finishReason: context.finishReason,
    gatewayOverheadMs: Math.max(0, latencyMs - upstreamMs),
    guardrails: context.guardrails?.decisions.summary(),
  };
  // The trace goes in the row (its spans are derived from it when read), so tracing writes nothing of its own.
  if (dependencies.tracing !== undefined) row.trace = dependencies.tracing.ledgerTraceOf(context);
  dependencies.ledger.write(row);
  dependencies.metrics?.record(row);
  const observers = dependencies.observers;
  if (observers !== undefined && observers.length > 0) {
    const observed = {
      body: () => context.body ?? (context.embedInput === undefined ? undefined : { input: context.embedInput }),
      bodyText: () => sourceTextOf(context),
      outputText: () => outputText?.() ?? '',
      traceparent: context.traceparent,
      timeline: context,
    };
    for (const observer of observers) observer.observe(row, observed);
  }
  const finalizers = context.finalizers;
  if (finalizers !== undefined) {
    context.finalizers = undefined;
    for (const finalize of finalizers) finalize(row);
  }
}

/** The prompt estimate; a fast-path body that never passed the full decode is estimated only if it does. */
function estimateInput(decoded: DecodedChatRequest): number | undefined {
  try {
    return estimateChatInputTokens(decoded.request);
  } catch {
    return undefined;
  }
}
