import { z } from 'zod';
import { flagSchema as flag } from './flag-schema.js';
import { secretReferenceSchema } from './secret-reference.js';

/** A rule that scores gateway requests as they finish (see docs/tracing.md). */
const scoreRuleSchema = z
  .strictObject({
    /** The score's name, e.g. `error` or `slow`. */
    name: z.string().trim().min(1).max(200),
    /** `error`: the request failed (only with one of `errorCodes`, when given); `latency`: it took over `thresholdMs`. */
    when: z.enum(['error', 'latency']),
    thresholdMs: z.coerce.number().int().positive().optional(),
    errorCodes: z.array(z.string().min(1)).optional(),
    /** The value given when the rule matches (default 1). */
    value: z.union([z.number().finite(), z.string().min(1), z.boolean()]).default(1),
  })
  .refine((rule) => rule.when !== 'latency' || rule.thresholdMs !== undefined, { message: 'thresholdMs: required when "when" is latency', path: ['thresholdMs'] });

/** `tracing:` in the config file: request traces, their storage, OTLP export and score rules. On by default. */
export const tracingConfigSchema = z
  .strictObject({
    /** Build a trace for every request and accept applications' observations. */
    // On by default: a request's trace is a few ids and offsets on its ledger row, its spans are derived when
    // read (docs/decisions/0010), so it costs little more than the ledger row itself.
    enabled: flag.default(true),
    /** Keep applications' spans and scores in the database, and show traces in the admin API and the dashboard. */
    store: flag.default(true),
    /** Applications' spans and scores older than this are deleted by the retention job (the gateway's own spans live on the ledger rows, as long as they do). */
    retentionDays: z.coerce.number().int().positive().default(14),
    /** How often applications' spans and rule scores are written, and sampled requests' spans exported. */
    flushIntervalMs: z.coerce.number().int().positive().default(500),
    /** `service.name` of the exported spans. */
    serviceName: z.string().min(1).default('switchyard'),
    otlp: z
      .strictObject({
        /** The collector's OTLP/HTTP traces URL (`http://collector:4318/v1/traces`; a bare origin gets `/v1/traces`). */
        endpoint: z.url(),
        /** Extra headers (an API key, ...); values may be `{ env: NAME }` references. */
        headers: z.record(z.string().min(1), secretReferenceSchema).default({}),
        /** Share of traces exported, 0..1 (a client's sampled `traceparent` is always followed). */
        samplingRatio: z.coerce.number().min(0).max(1).default(1),
        timeoutMs: z.coerce.number().int().positive().default(10_000),
      })
      .optional(),
    scoreRules: z.array(scoreRuleSchema).default([]),
  })
  .prefault({});

export type TracingConfig = z.infer<typeof tracingConfigSchema>;
