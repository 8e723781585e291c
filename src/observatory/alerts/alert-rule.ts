import { z } from 'zod';

/**
 * What a rule watches, over its window:
 * - `cost`: spend in the window, micro-dollars;
 * - `spend_rate`: spend per hour, micro-dollars (the window's spend scaled to an hour);
 * - `budget_threshold`: the highest budget threshold crossed in the window, in percent as on the budget (80);
 * - `error_rate`: failed requests / requests (0..1);
 * - `latency_p95`, `latency_mean`: request latency, ms;
 * - `ttft_p95`, `ttft_mean`: time to first token of streamed requests, ms;
 * - `request_count`: requests in the window.
 */
export const alertMetrics = [
  'cost',
  'spend_rate',
  'budget_threshold',
  'error_rate',
  'latency_p95',
  'latency_mean',
  'ttft_p95',
  'ttft_mean',
  'request_count',
] as const;

export type AlertMetric = (typeof alertMetrics)[number];

/** The dimensions a rule can be narrowed to (or grouped by). `all` is the whole traffic it can see. */
export const alertDimensions = ['all', 'model', 'provider', 'key', 'team', 'workspace'] as const;

export type AlertDimension = (typeof alertDimensions)[number];

export const alertSeverities = ['info', 'warning', 'critical'] as const;

export type AlertSeverity = (typeof alertSeverities)[number];

export const alertComparisons = ['gt', 'gte', 'lt', 'lte'] as const;

export type AlertComparison = (typeof alertComparisons)[number];

const channelNameSchema = z.string().trim().min(1).max(100);

/** Each field of a rule without its default, so a change (PATCH) can leave any of them out. */
export const alertRuleFieldSchemas = {
  name: z.string().trim().min(1, 'must not be empty').max(200),
  metric: z.enum(alertMetrics),
  scope: z.strictObject({
    dimension: z.enum(alertDimensions),
    value: z.string().trim().min(1).max(300).optional().describe('One model, provider, key, team or workspace id; absent: each one separately.'),
  }),
  comparison: z.enum(alertComparisons),
  threshold: z.number().finite(),
  windowMs: z.number().int().min(10_000, 'must be at least 10000 (10 seconds)').max(86_400_000, 'must be at most 86400000 (one day)'),
  cooldownMs: z.number().int().min(0).max(86_400_000).describe('Least time between two firings of one rule and group.'),
  minRequests: z.number().int().min(1).max(1_000_000).describe('Rates and latencies are judged only over at least this many requests.'),
  severity: z.enum(alertSeverities),
  channels: z.array(channelNameSchema).max(20).describe('Names of channels under alerts.channels in the config; empty: alerts.defaultChannels.'),
  enabled: z.boolean(),
};

const fields = alertRuleFieldSchemas;

/**
 * The part of a rule its author writes (the admin API's body and a config rule alike). `scope.value`
 * absent on a dimension other than `all` means "each value separately": one alert per model, key, ...
 */
export const alertRuleFieldsSchema = z.strictObject({
  name: fields.name,
  metric: fields.metric,
  scope: fields.scope.default({ dimension: 'all' }),
  comparison: fields.comparison.default('gt'),
  threshold: fields.threshold,
  windowMs: fields.windowMs.default(300_000),
  cooldownMs: fields.cooldownMs.default(0),
  minRequests: fields.minRequests.default(1),
  severity: fields.severity.default('warning'),
  channels: fields.channels.default([]),
  enabled: fields.enabled.default(true),
});

export type AlertRuleFields = z.output<typeof alertRuleFieldsSchema>;

/** A stored (or configured) rule: its fields, its id and its owner. Config rules belong to no organisation and see all traffic. */
export interface AlertRule extends AlertRuleFields {
  id: string;
  organisationId?: string;
  workspaceId?: string;
  createdAt: number;
  updatedAt: number;
}

export type AlertState = 'firing' | 'resolved';

/** One firing of a rule for one group, and its resolution. */
export interface Alert {
  id: string;
  ruleId: string;
  ruleName: string;
  organisationId?: string;
  workspaceId?: string;
  /** What the alert is about within the rule: `all`, `model:gpt-4o`, `key:key_123`, `budget:bud_1`. */
  group: string;
  severity: AlertSeverity;
  state: AlertState;
  /** The metric's value when it fired. */
  value: number;
  threshold: number;
  message: string;
  firedAt: number;
  resolvedAt?: number;
}

/** True when `value` breaks the rule's threshold. */
export function breaches(comparison: AlertComparison, value: number, threshold: number): boolean {
  switch (comparison) {
    case 'gt':
      return value > threshold;
    case 'gte':
      return value >= threshold;
    case 'lt':
      return value < threshold;
    case 'lte':
      return value <= threshold;
  }
}
