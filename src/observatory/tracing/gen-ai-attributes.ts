/**
 * The OpenTelemetry GenAI semantic-convention names (semconv v1.41.0, `../shared/specs/otel-genai/`) the
 * gateway writes and reads, in one module so that a later rename (the conventions are still "Development")
 * stays local. `@opentelemetry/semantic-conventions` is not a dependency; these strings match its
 * `/incubating` `ATTR_GEN_AI_*` constants.
 */
export const genAi = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  requestStream: 'gen_ai.request.stream',
  responseModel: 'gen_ai.response.model',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  responseTimeToFirstChunk: 'gen_ai.response.time_to_first_chunk',
  conversationId: 'gen_ai.conversation.id',
  /** All prompt tokens, cache reads and writes included. */
  usageInputTokens: 'gen_ai.usage.input_tokens',
  /** All output tokens, reasoning included. */
  usageOutputTokens: 'gen_ai.usage.output_tokens',
  usageCacheReadInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  usageCacheCreationInputTokens: 'gen_ai.usage.cache_creation.input_tokens',
  usageReasoningOutputTokens: 'gen_ai.usage.reasoning.output_tokens',
  toolName: 'gen_ai.tool.name',
  dataSourceId: 'gen_ai.data_source.id',
  errorType: 'error.type',
} as const;

/** Older and foreign names still sent by instrumentations, read (never written) when normalising usage. */
export const legacyUsageNames = {
  input: ['gen_ai.usage.prompt_tokens', 'llm.usage.prompt_tokens', 'llm.token_count.prompt'],
  output: ['gen_ai.usage.completion_tokens', 'llm.usage.completion_tokens', 'llm.token_count.completion'],
  model: ['gen_ai.response.model', 'gen_ai.request.model', 'llm.response.model', 'llm.request.model', 'llm.model_name'],
  provider: ['gen_ai.provider.name', 'gen_ai.system', 'llm.provider', 'llm.system'],
} as const;

/** The gateway's own attributes beside the GenAI ones. */
export const switchyardAttributes = {
  requestId: 'switchyard.request.id',
  keyId: 'switchyard.key.id',
  deploymentId: 'switchyard.deployment.id',
  routeGroup: 'switchyard.route.group',
  attemptReason: 'switchyard.attempt.reason',
  skippedDeployments: 'switchyard.route.skipped_deployments',
  costMicros: 'switchyard.cost_micros',
  usageSource: 'switchyard.usage.source',
  gatewayOverheadMs: 'switchyard.gateway_overhead_ms',
  httpStatus: 'http.response.status_code',
  upstreamStatus: 'switchyard.upstream.status_code',
  observationType: 'switchyard.observation.type',
} as const;
