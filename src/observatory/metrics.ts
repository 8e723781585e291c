import { Counter, Registry } from 'prom-client';
import type { LedgerRow } from './ledger-row.js';
import { firstNamesFilter, type ModelLabelFilter } from './metrics/model-label-filter.js';
import { CounterFamily, HistogramFamily, renderFamilies } from './metrics/request-series.js';
import { registerStateMetrics, type GatewayStateSources } from './metrics/state-metrics.js';

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
// create unbounded series, so it is reported as `_OTHER` (the semconv's value for an unlisted name). So is
// a model that reached a provider but is neither configured nor in the catalog (see ModelLabelFilter).
const otherValue = '_OTHER';
/** Without a catalog-based filter, this many distinct model names become labels; later ones are `_OTHER`. */
const fallbackModelNames = 200;
const limitScopes = new Set(['key', 'team', 'workspace', 'organisation']);
const limitKinds = new Set(['requests', 'tokens', 'concurrency']);

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
  /** Counts a request a rate limit refused; `scope` is the limit's owner kind, `limit` what it counts. */
  countRateLimitRefusal(scope: string, limit: 'requests' | 'tokens' | 'concurrency'): void;
  /** Registers the state gauges (circuits, ledger queue, budgets); they are read at scrape time only. Call once. */
  observeState(sources: GatewayStateSources): void;
}

/** Options of {@link createGatewayMetrics}. */
export interface GatewayMetricsOptions {
  /**
   * Which model names and deployment ids may be label values (see `createModelLabelFilter`). By default the
   * first 200 distinct names are, which bounds the series but lets early junk in: the gateway passes one.
   */
  labels?: ModelLabelFilter;
}

/** Creates the metrics in a fresh registry (never prom-client's global one, so instances and tests are isolated). */
export function createGatewayMetrics(options: GatewayMetricsOptions = {}): GatewayMetrics {
  const registry = new Registry();
  const labels = options.labels ?? firstNamesFilter(fallbackModelNames);
  const modelLabel = (name: string): string => (labels.isKnownModel(name) ? name : otherValue);
  // Recorded per request: plain cells rendered at scrape time (see metrics/request-series.ts for why).
  const tokenUsage = new HistogramFamily(
    'gen_ai_client_token_usage',
    'Tokens used per call to a provider, by token type (input: all prompt tokens incl. cached; output: incl. reasoning).',
    [...genAiLabels, 'gen_ai_token_type'],
    tokenBuckets,
  );
  const operationDuration = new HistogramFamily(
    'gen_ai_client_operation_duration_seconds',
    'Duration of a GenAI operation as the client sees it, all attempts included.',
    [...genAiLabels, 'error_type'],
    durationBuckets,
  );
  const timeToFirstToken = new HistogramFamily(
    'gen_ai_server_time_to_first_token_seconds',
    'Time from the request to the first content sent to the client, successful streams only.',
    genAiLabels,
    timeToFirstTokenBuckets,
  );
  const gatewayOverhead = new HistogramFamily(
    'switchyard_gateway_overhead_seconds',
    'Time the gateway itself added to a request (latency minus time waiting on providers).',
    ['dialect'],
    overheadBuckets,
  );
  const requests = new CounterFamily(
    'switchyard_requests_total',
    'Requests handled, by client dialect, operation, serving provider and model, outcome and error code (error_type is empty on success).',
    ['dialect', 'gen_ai_operation_name', 'gen_ai_provider_name', 'gen_ai_response_model', 'status', 'error_type'],
  );
  const tokens = new CounterFamily(
    'switchyard_tokens_total',
    'Tokens by exclusive bucket (input = uncached prompt, cache_read, cache_write, output, reasoning), as reported by the provider or estimated.',
    ['gen_ai_provider_name', 'gen_ai_response_model', 'token_type'],
  );
  const promptCacheHits = new CounterFamily(
    'switchyard_prompt_cache_hits_total',
    "Requests whose provider reported prompt-cache read tokens (the provider's prompt cache; the gateway has no response cache yet).",
    ['gen_ai_provider_name', 'gen_ai_response_model'],
  );
  const cost = new CounterFamily(
    'switchyard_cost_micros_total',
    'Cost of served requests in micro-dollars (USD / 1,000,000), where the price is known.',
    ['gen_ai_provider_name', 'gen_ai_response_model'],
  );
  const perRequest = [tokenUsage, operationDuration, timeToFirstToken, gatewayOverhead, requests, tokens, promptCacheHits, cost];
  // Rare (a refusal), so prom-client's own counter is cheap enough.
  const rateLimitRefusals = new Counter({
    name: 'switchyard_rate_limit_refusals_total',
    help: "Requests a rate limit refused, by the limit's owner kind (key, team, workspace, organisation) and what it counts.",
    labelNames: ['scope', 'limit'],
    registers: [registry],
  });

  let stateObserved = false;

  return {
    contentType: registry.contentType,
    registry,
    render: async () => (await registry.metrics()) + renderFamilies(perRequest),
    countRateLimitRefusal(scope, limit) {
      rateLimitRefusals.labels(limitScopes.has(scope) ? scope : otherValue, limitKinds.has(limit) ? limit : otherValue).inc();
    },
    observeState(sources) {
      if (stateObserved) throw new Error('observeState was already called for these metrics');
      stateObserved = true;
      registerStateMetrics(registry, sources, labels.isKnownDeployment);
    },
    record(row) {
      const reachedProvider = row.servedProvider !== undefined || row.attempts.length > 0;
      const lastAttempt = row.attempts.at(-1);
      // Provider instance names are configured (or added by an admin), so they are bounded as they are.
      const provider = row.servedProvider ?? lastAttempt?.provider ?? otherValue;
      const responseModel = modelLabel(row.servedModel ?? lastAttempt?.model ?? otherValue);
      const requestModel = reachedProvider ? modelLabel(row.requestedModel) : otherValue;
      const operation = row.operation;
      // Error codes come from the one catalog (`spec/error-catalog.ts`), a bounded set.
      const errorType = row.status === 'error' ? (row.errorCode ?? otherValue) : '';
      requests.cell(row.dialect, operation, provider, responseModel, row.status, errorType).inc();
      operationDuration.cell(operation, provider, requestModel, responseModel, errorType).observe(row.latencyMs / 1000);
      if (row.gatewayOverheadMs !== undefined) gatewayOverhead.cell(row.dialect).observe(row.gatewayOverheadMs / 1000);
      if (row.status === 'ok' && row.timeToFirstTokenMs !== undefined) {
        timeToFirstToken.cell(operation, provider, requestModel, responseModel).observe(row.timeToFirstTokenMs / 1000);
      }
      // The semconv forbids reporting usage that is not known; an estimate is the allowed offline count.
      if (row.usageSource !== 'none') {
        const input = sumKnown(row.inputTokens, row.cacheReadTokens, row.cacheWriteTokens);
        const output = sumKnown(row.outputTokens, row.reasoningTokens);
        if (input !== undefined) tokenUsage.cell(operation, provider, requestModel, responseModel, 'input').observe(input);
        if (output !== undefined) tokenUsage.cell(operation, provider, requestModel, responseModel, 'output').observe(output);
        countTokens(tokens, provider, responseModel, row);
        if (row.cacheReadTokens !== undefined && row.cacheReadTokens > 0) promptCacheHits.cell(provider, responseModel).inc();
      }
      if (row.costMicros !== undefined && row.costMicros > 0) {
        cost.cell(provider, responseModel).inc(row.costMicros);
      }
    },
  };
}

function countTokens(family: CounterFamily, provider: string, model: string, row: LedgerRow): void {
  if (row.inputTokens) family.cell(provider, model, 'input').inc(row.inputTokens);
  if (row.cacheReadTokens) family.cell(provider, model, 'cache_read').inc(row.cacheReadTokens);
  if (row.cacheWriteTokens) family.cell(provider, model, 'cache_write').inc(row.cacheWriteTokens);
  if (row.outputTokens) family.cell(provider, model, 'output').inc(row.outputTokens);
  if (row.reasoningTokens) family.cell(provider, model, 'reasoning').inc(row.reasoningTokens);
}

function sumKnown(...figures: Array<number | undefined>): number | undefined {
  let total: number | undefined;
  for (const figure of figures) if (figure !== undefined) total = (total ?? 0) + figure;
  return total;
}
