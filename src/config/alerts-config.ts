import { z } from 'zod';
import { flagSchema as flag } from './flag-schema.js';
import { alertRuleFieldsSchema } from '../observatory/alerts/alert-rule.js';
import { secretReferenceSchema } from './secret-reference.js';

const positiveInteger = z.coerce.number().int().positive();
const headersSchema = z.record(z.string().min(1), secretReferenceSchema).default({});

/**
 * Where notifications go. URLs and secrets may be `{ env: NAME }` references: webhook URLs often carry a
 * token (Slack's do), so they are never logged or shown in full.
 */
export const notificationChannelSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    /** JSON POST signed with HMAC-SHA256 (`Switchyard-Signature: t=...,v1=...`) when `secret` is set. */
    kind: z.literal('webhook'),
    url: secretReferenceSchema,
    secret: secretReferenceSchema.optional(),
    headers: headersSchema,
  }),
  z.strictObject({
    /** Slack incoming webhook (or anything that takes `{text, blocks}`: Mattermost, Rocket.Chat, ...). */
    kind: z.literal('slack'),
    url: secretReferenceSchema,
  }),
  z.strictObject({
    /** CloudEvents 1.0 over HTTP, structured mode (`application/cloudevents+json`). */
    kind: z.literal('cloudevents'),
    url: secretReferenceSchema,
    headers: headersSchema,
  }),
  z.strictObject({
    /** CloudEvents on NATS JetStream (needs `events.nats`). */
    kind: z.literal('nats'),
    subject: z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'a NATS subject without wildcards, e.g. llm.alerts').default('llm.alerts'),
  }),
]);

export type NotificationChannelConfig = z.infer<typeof notificationChannelSchema>;

/** A rule in the config file: the fields of an admin API rule plus its id; it sees every organisation's traffic. */
export const configAlertRuleSchema = alertRuleFieldsSchema.safeExtend({ id: z.string().trim().min(1).max(200) });

/** `alerts:` in the config file: evaluation, channels, config-defined rules, delivery (see docs/alerts.md). */
export const alertsConfigSchema = z
  .strictObject({
    enabled: flag.default(true),
    /** How often every rule is evaluated. */
    evaluationIntervalMs: positiveInteger.min(1000).default(10_000),
    /** Width of the time buckets requests are counted in (windows are rounded to them). */
    bucketMs: positiveInteger.min(1000).default(10_000),
    /** Named channels; rules name the ones they notify. */
    channels: z.record(z.string().trim().min(1).max(100), notificationChannelSchema).default({}),
    /** Channels of rules that name none. */
    defaultChannels: z.array(z.string().min(1)).default([]),
    rules: z.array(configAlertRuleSchema).default([]),
    delivery: z
      .strictObject({
        /** Notifications waiting for delivery; beyond it the oldest are dropped (and logged). */
        queueSize: positiveInteger.default(1000),
        maxAttempts: positiveInteger.max(20).default(5),
        initialBackoffMs: positiveInteger.default(1000),
        maxBackoffMs: positiveInteger.default(60_000),
        /** Per attempt. */
        timeoutMs: positiveInteger.default(10_000),
      })
      .prefault({}),
  })
  .prefault({});

export type AlertsConfig = z.infer<typeof alertsConfigSchema>;

/** `events:` in the config file: CloudEvents on NATS JetStream (off unless `nats` is set). */
export const eventsConfigSchema = z
  .strictObject({
    /** The CloudEvents `source` of every event. */
    source: z.string().min(1).default('/switchyard'),
    nats: z
      .strictObject({
        /** Server URL(s), e.g. `nats://127.0.0.1:4222`. */
        servers: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
        /** Credentials, when the server asks for them. */
        user: secretReferenceSchema.optional(),
        password: secretReferenceSchema.optional(),
        token: secretReferenceSchema.optional(),
        /** The JetStream stream created (or extended) to cover `llm.>`. */
        stream: z.string().regex(/^[A-Za-z0-9_-]+$/).default('LLM'),
        /** Publish every finished request on `llm.requests` (batched, off the response path). */
        publishRequests: flag.default(false),
        /** Publish budget threshold crossings on `llm.governance.budget-alert`. */
        publishBudgetAlerts: flag.default(true),
        flushIntervalMs: positiveInteger.default(200),
        /** Request events waiting to be published; beyond it new ones are dropped (and counted). */
        maxBuffered: positiveInteger.default(10_000),
      })
      .optional(),
  })
  .prefault({});

export type EventsConfig = z.infer<typeof eventsConfigSchema>;
