import { z } from 'zod';
import { flagSchema } from './flag-schema.js';
import { guardrailLevelSchema, guardrailsConfigSchema } from '../sentinel/guardrails/guardrails-config.js';
import { tracingConfigSchema } from './tracing-config.js';
import { alertsConfigSchema, eventsConfigSchema } from './alerts-config.js';
import { anomalyConfigSchema } from './anomaly-config.js';

const positiveInteger = z.coerce.number().int().positive();
const nonNegativeInteger = z.coerce.number().int().nonnegative();

/** One provider instance. Kind-specific settings are checked by that kind's own schema at load time. */
export const providerEntrySchema = z.looseObject({
  /** The instance name, used in `name/model` and in deployments. Defaults to the kind. */
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" or "-"').optional(),
  kind: z.string().min(1),
});

export const deploymentSchema = z.strictObject({
  /** The provider instance name. */
  provider: z.string().min(1),
  /** The model as the provider knows it. */
  model: z.string().min(1),
  weight: z.coerce.number().positive().default(1),
  maxInFlight: positiveInteger.optional(),
  id: z.string().min(1).optional(),
});

export const routingStrategySchema = z.enum(['weighted', 'round-robin', 'least-busy', 'lowest-latency', 'lowest-cost']);

/** A public model name and the deployments that serve it. */
export const modelGroupSchema = z.strictObject({
  name: z.string().min(1),
  strategy: routingStrategySchema.default('weighted'),
  deployments: z.array(deploymentSchema).min(1),
  fallbacks: z.array(z.string().min(1)).default([]),
  contextWindowFallbacks: z.array(z.string().min(1)).default([]),
});

/** A per-model price override, in dollars per million tokens. */
export const priceOverrideSchema = z.strictObject({
  inputPerMillion: z.coerce.number().nonnegative().optional(),
  outputPerMillion: z.coerce.number().nonnegative().optional(),
  cacheReadPerMillion: z.coerce.number().nonnegative().optional(),
  cacheWritePerMillion: z.coerce.number().nonnegative().optional(),
  reasoningPerMillion: z.coerce.number().nonnegative().optional(),
});

/**
 * Model settings at one level of the organisation -> workspace -> key hierarchy (`llm_config`, a workspace's
 * `llm_override`). The file spells them as the issue does (`max_tokens`, `allowed_models`); they are read into
 * the camelCase settings the hierarchy and the identity store share. A field left out inherits from above.
 */
export const llmSettingsSchema = z
  .strictObject({
    /** A provider instance name (as in `providers[].name`). */
    provider: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    temperature: z.coerce.number().min(0).max(2).optional(),
    max_tokens: positiveInteger.optional(),
    /** Model patterns (`gpt-4o*`, `openai/*`); each level's list narrows the levels above, never widens them. */
    allowed_models: z
      .array(z.string().min(1))
      .min(1, 'list at least one model pattern, or leave allowed_models out')
      .optional(),
  })
  .transform(({ provider, model, temperature, max_tokens, allowed_models }) => {
    const settings: { provider?: string; model?: string; temperature?: number; maxTokens?: number; allowedModels?: string[] } = {};
    if (provider !== undefined) settings.provider = provider;
    if (model !== undefined) settings.model = model;
    if (temperature !== undefined) settings.temperature = temperature;
    if (max_tokens !== undefined) settings.maxTokens = max_tokens;
    if (allowed_models !== undefined) settings.allowedModels = allowed_models;
    return settings;
  });

/** A workspace's entry under `workspaces:`, keyed by the workspace's name. */
/** What is kept of prompts and completions (see docs/storage-and-retention.md). */
const payloadModeSchema = z.enum(['full', 'redacted', 'metadata', 'off']);

export const workspaceConfigSchema = z.strictObject({
  llm_override: llmSettingsSchema.prefault({}),
  /** This workspace's payload mode, instead of the top-level `payloads.mode`. */
  payloads: z.strictObject({ mode: payloadModeSchema }).optional(),
  /** This workspace's guardrails, folded over the top-level `guardrails` by scanner name (docs/guardrails.md). */
  guardrails: guardrailLevelSchema.optional(),
});

/** The whole configuration file (`switchyard.yaml`); every key can also come from the environment. */
export const configSchema = z.strictObject({
  server: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: z.coerce.number().int().min(0).max(65535).default(4000),
      /** Largest request body accepted, in bytes. */
      bodyLimitBytes: positiveInteger.default(10 * 1024 * 1024),
    })
    .prefault({}),
  /** Where the embedded store keeps its files. */
  dataDir: z.string().default('./.switchyard'),
  preset: z.enum(['embedded', 'scaled']).default('embedded'),
  database: z
    .strictObject({
      /** `sqlite:<file>` or `postgres://...`; defaults to `<dataDir>/switchyard.db`. */
      url: z.string().min(1).optional(),
    })
    .prefault({}),
  /** The scaled preset's shared state: rate limits, budgets, circuit state, cache invalidation. */
  redis: z
    .strictObject({
      /** `redis://host:port/db`; required by `preset: scaled`. */
      url: z.string().min(1).optional(),
      /** Prefix of every key and channel, so several gateways can share one Redis. */
      keyPrefix: z.string().min(1).default('switchyard'),
      /**
       * How long a replica may hold a lease of rate-limit units and budget headroom for its busy keys
       * (milliseconds, 0 turns leasing off: every governed request then waits for Redis). See
       * docs/scaled-preset.md for what leases keep exact and what they delay.
       */
      leaseMs: z.coerce.number().int().min(0).max(1000).default(250),
    })
    .prefault({}),
  logging: z
    .strictObject({
      level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    })
    .prefault({}),
  /** Use the providers found in the environment (OPENAI_API_KEY, ...) besides the configured ones. */
  discoverProviders: flagSchema.default(true),
  providers: z.array(providerEntrySchema).default([]),
  models: z.array(modelGroupSchema).default([]),
  routing: z
    .strictObject({
      /**
       * The fast path: when the client and the provider speak the same wire (OpenAI SDK -> OpenAI), forward the
       * client's body and stream the provider's bytes back, reading usage on the way, instead of converting.
       */
      passthrough: flagSchema.default(true),
      maxRetries: nonNegativeInteger.default(2),
      initialBackoffMs: nonNegativeInteger.default(250),
      maxBackoffMs: nonNegativeInteger.default(8000),
      /** Longest provider `retry-after` the gateway waits for itself before trying elsewhere. */
      maxRetryAfterMs: nonNegativeInteger.default(10_000),
      breaker: z
        .strictObject({
          failureThreshold: positiveInteger.default(5),
          cooldownMs: positiveInteger.default(30_000),
        })
        .prefault({}),
      timeouts: z
        .strictObject({
          connectMs: positiveInteger.default(5_000),
          /** From sending the request to the first token (stream) or the whole answer's headers. */
          firstTokenMs: positiveInteger.default(120_000),
          /** Longest silence between two stream chunks. */
          idleMs: positiveInteger.default(120_000),
          /** The whole call, retries included. */
          totalMs: positiveInteger.default(600_000),
        })
        .prefault({}),
    })
    .prefault({}),
  /** Price overrides keyed by `provider/model` or a bare model name. */
  pricing: z.record(z.string(), priceOverrideSchema).default({}),
  ledger: z
    .strictObject({
      flushIntervalMs: positiveInteger.default(50),
      /** Days usage rows are kept (the default of `retention.requestsDays`; kept for older configs). */
      retentionDays: positiveInteger.default(90),
      /** Retention per kind of data, enforced by a job in bounded batches (docs/storage-and-retention.md). */
      retention: z
        .strictObject({
          requestsDays: positiveInteger.optional(),
          /** Prompt and completion text; never longer than the rows (default 30). */
          payloadsDays: positiveInteger.optional(),
          /** Daily rollups (default 730). */
          rollupsDays: positiveInteger.optional(),
          /** Rows deleted per statement. */
          batchSize: positiveInteger.default(5_000),
          intervalMinutes: positiveInteger.default(60),
        })
        .prefault({}),
    })
    .prefault({}),
  /** Stored prompts and completions: `full`, `redacted` (personal data and secrets masked), `metadata` (sizes only) or `off`. */
  payloads: z
    .strictObject({
      mode: payloadModeSchema.default('full'),
      /** Largest stored request or response text, in bytes; longer ones are cut and marked truncated. */
      maxBytes: positiveInteger.default(32_768),
    })
    .prefault({}),
  /** Prometheus metrics at `/metrics` (see docs/metrics.md); with `enabled: false` nothing is counted and `/metrics` answers 404. */
  metrics: z
    .strictObject({
      enabled: flagSchema.default(true),
    })
    .prefault({}),
  /** The web dashboard at `/ui` (see docs/dashboard.md); `directory` replaces the built files in `dist/web`. */
  dashboard: z
    .strictObject({
      enabled: flagSchema.default(true),
      directory: z.string().min(1).optional(),
    })
    .prefault({}),
  /** Request traces, OTLP export, applications' observations and scores (see docs/tracing.md). */
  tracing: tracingConfigSchema,
  /** Alert rules, evaluation and notification channels (see docs/alerts.md). */
  alerts: alertsConfigSchema,
  /** CloudEvents on NATS JetStream: requests, alerts, budget crossings (see docs/alerts.md). */
  events: eventsConfigSchema,
  /** Anomaly detection over the gateway's own traffic, with remediation (see docs/anomaly-detection.md). */
  anomaly: anomalyConfigSchema,
  /** The organisation's model defaults, as in the issue: `llm_config: { provider, model, temperature, max_tokens }`. */
  llm_config: llmSettingsSchema.optional(),
  /** Per-workspace overrides by workspace name: `workspaces: { production: { llm_override: { ... } } }`. */
  workspaces: z.record(z.string().min(1), workspaceConfigSchema).default({}),
  /** Guardrail scanners (PII, secrets, prompt injection, ...), the organisation's default and per key (docs/guardrails.md). */
  guardrails: guardrailsConfigSchema.optional(),
});

/** The validated configuration. */
export type SwitchyardConfig = z.infer<typeof configSchema>;
export type ModelGroupConfig = z.infer<typeof modelGroupSchema>;
export type ProviderEntry = z.infer<typeof providerEntrySchema>;
export type PriceOverride = z.infer<typeof priceOverrideSchema>;
/** Model settings of one level, as read from the file (camelCase). */
export type LlmSettingsConfig = z.infer<typeof llmSettingsSchema>;
export type WorkspaceConfig = z.infer<typeof workspaceConfigSchema>;
