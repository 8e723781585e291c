import { Counter, Histogram, Registry } from 'prom-client';
import type { LedgerRow } from './ledger-row.js';

// OpenTelemetry GenAI semantic conventions v1.41 (docs: shared/specs/otel-genai), in Prometheus naming:
// dots become underscores and the unit becomes a suffix. Kept in this one module so the coming switch to
// the `gen_ai.client.inference.*` counters stays local.
const tokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const durationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
const timeToFirstTokenBuckets = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0];
// The gateway's own work is meant to take well under a millisecond; the buckets resolve that range.
const overheadBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

const genAiLabels = ['gen_ai_operation_name', 'gen_ai_provider_name', 'gen_ai_request_model', 'gen_ai_response_model'] as const;
// A requested model that never reached a provider is client text; as a label it would let any caller
// create unbounded series, so it is reported as `_OTHER` (the semconv's value for an unlisted name).
const otherValue = '_OTHER';

/** The gateway's Prometheus metrics, in their own registry. */
export interface GatewayMetrics {
  /** Records one finished request. Cheap: a few label look-ups and additions. */
  record(row: LedgerRow): void;
  /** The exposition text for `/metrics`. */
  render(): Promise<string>;
  /** The `content-type` of {@link render}'s text. */
  readonly contentType: string;
  /** The registry, for other domains to add their own metrics to. */
  readonly registry: Registry;
}

/** Creates the metrics in a fresh registry (never prom-client's global one, so instances and tests are isolated). */
export function createGatewayMetrics(): GatewayMetrics {
  const registry = new Registry();
  const tokenUsage = new Histogram({
    name: 'gen_ai_client_token_usage',
    help: 'Tokens used per call to a provider, by token type (input: all prompt tokens incl. cached; output: incl. reasoning).',
    labelNames: [...genAiLabels, 'gen_ai_token_type'],
    buckets: tokenBuckets,
    registers: [registry],
  });
  const operationDuration = new Histogram({
    name: 'gen_ai_client_operation_duration_seconds',
    help: 'Duration of a GenAI operation as the client sees it, all attempts included.',
    labelNames: [...genAiLabels, 'error_type'],
    buckets: durationBuckets,
    registers: [registry],
  });
  const timeToFirstToken = new Histogram({
    name: 'gen_ai_server_time_to_first_token_seconds',
    help: 'Time from the request to the first content sent to the client, successful streams only.',
    labelNames: genAiLabels,
    buckets: timeToFirstTokenBuckets,
    registers: [registry],
  });
  const gatewayOverhead = new Histogram({
    name: 'switchyard_gateway_overhead_seconds',
    help: 'Time the gateway itself added to a request (latency minus time waiting on providers).',
    labelNames: ['dialect'],
    buckets: overheadBuckets,
    registers: [registry],
  });
  const requests = new Counter({
    name: 'switchyard_requests_total',
    help: 'Requests handled, by client dialect and outcome.',
    labelNames: ['dialect', 'status'],
    registers: [registry],
  });
  const cost = new Counter({
    name: 'switchyard_cost_micros_total',
    help: 'Cost of served requests in micro-dollars (USD / 1,000,000), where the price is known.',
    labelNames: ['gen_ai_provider_name', 'gen_ai_response_model'],
    registers: [registry],
  });

  // Labelled children are looked up once per label combination: prom-client validates and hashes labels on
  // every observe() otherwise, and record() runs once per request.
  const requestsChild = childrenOf(requests);
  const operationDurationChild = childrenOf(operationDuration);
  const gatewayOverheadChild = childrenOf(gatewayOverhead);
  const timeToFirstTokenChild = childrenOf(timeToFirstToken);
  const tokenUsageChild = childrenOf(tokenUsage);
  const costChild = childrenOf(cost);

  return {
    contentType: registry.contentType,
    registry,
    render: () => registry.metrics(),
    record(row) {
      const reachedProvider = row.servedProvider !== undefined || row.attempts.length > 0;
      const lastAttempt = row.attempts.at(-1);
      const provider = row.servedProvider ?? lastAttempt?.provider ?? otherValue;
      const responseModel = row.servedModel ?? lastAttempt?.model ?? otherValue;
      const requestModel = reachedProvider ? row.requestedModel : otherValue;
      const operation = row.operation;
      requestsChild(row.dialect, row.status).inc();
      operationDurationChild(operation, provider, requestModel, responseModel, row.status === 'error' ? (row.errorCode ?? otherValue) : '').observe(row.latencyMs / 1000);
      if (row.gatewayOverheadMs !== undefined) gatewayOverheadChild(row.dialect).observe(row.gatewayOverheadMs / 1000);
      if (row.status === 'ok' && row.timeToFirstTokenMs !== undefined) {
        timeToFirstTokenChild(operation, provider, requestModel, responseModel).observe(row.timeToFirstTokenMs / 1000);
      }
      // The semconv forbids reporting usage that is not known; an estimate is the allowed offline count.
      if (row.usageSource !== 'none') {
        const input = sumKnown(row.inputTokens, row.cacheReadTokens, row.cacheWriteTokens);
        const output = sumKnown(row.outputTokens, row.reasoningTokens);
        if (input !== undefined) tokenUsageChild(operation, provider, requestModel, responseModel, 'input').observe(input);
        if (output !== undefined) tokenUsageChild(operation, provider, requestModel, responseModel, 'output').observe(output);
      }
      if (row.costMicros !== undefined && row.costMicros > 0) {
        costChild(provider, responseModel).inc(row.costMicros);
      }
    },
  };
}

/** Label combinations remembered per metric; beyond this, children are looked up each time (still correct). */
const maximumCachedChildren = 10_000;

function childrenOf<Child>(metric: { labels(...values: string[]): Child }): (...values: string[]) => Child {
  const cache = new Map<string, Child>();
  return (...values) => {
    const key = values.join('\u0001');
    let child = cache.get(key);
    if (child === undefined) {
      child = metric.labels(...values);
      if (cache.size < maximumCachedChildren) cache.set(key, child);
    }
    return child;
  };
}

function sumKnown(...figures: Array<number | undefined>): number | undefined {
  let total: number | undefined;
  for (const figure of figures) if (figure !== undefined) total = (total ?? 0) + figure;
  return total;
}
