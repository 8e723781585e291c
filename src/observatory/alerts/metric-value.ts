import type { AlertRule } from './alert-rule.js';
import type { WindowSummary } from './request-window.js';

const hourMs = 3_600_000;

/**
 * A rule's metric over a window summary; undefined when there is nothing to judge (a rate or latency over
 * fewer requests than the rule's `minRequests`), which never fires and resolves a firing alert.
 */
export function metricValue(rule: Pick<AlertRule, 'metric' | 'windowMs' | 'minRequests'>, summary: WindowSummary): number | undefined {
  const enoughRequests = summary.requests >= rule.minRequests;
  switch (rule.metric) {
    case 'cost':
      return summary.costMicros;
    case 'spend_rate':
      return Math.round((summary.costMicros * hourMs) / rule.windowMs);
    case 'budget_threshold':
      return summary.budgetThreshold;
    case 'request_count':
      return summary.requests;
    case 'error_rate':
      return enoughRequests ? summary.errorRate : undefined;
    case 'latency_mean':
      return enoughRequests ? summary.latencyMeanMs : undefined;
    case 'latency_p95':
      return enoughRequests ? summary.latencyP95Ms : undefined;
    case 'ttft_mean':
      return summary.ttftCount >= rule.minRequests ? summary.ttftMeanMs : undefined;
    case 'ttft_p95':
      return summary.ttftCount >= rule.minRequests ? summary.ttftP95Ms : undefined;
  }
}

/** A value in the metric's unit, for people: `$1.234567`, `12.5 %`, `850 ms`. */
export function formatMetric(metric: AlertRule['metric'], value: number): string {
  switch (metric) {
    case 'cost':
      return `$${(value / 1_000_000).toFixed(6)}`;
    case 'spend_rate':
      return `$${(value / 1_000_000).toFixed(6)}/h`;
    case 'budget_threshold':
      return `${value} %`;
    case 'error_rate':
      return `${(value * 100).toFixed(1)} %`;
    case 'request_count':
      return String(value);
    default:
      return `${Math.round(value)} ms`;
  }
}

const comparisonWords = { gt: 'above', gte: 'at or above', lt: 'below', lte: 'at or below' } as const;

/** The alert's message: what, where, how much, against what. */
export function describeValue(rule: Pick<AlertRule, 'name' | 'metric' | 'comparison' | 'threshold' | 'windowMs'>, group: string, value: number, budgetId?: string): string {
  const where = group === 'all' ? '' : ` for ${group}`;
  const budget = rule.metric === 'budget_threshold' && budgetId !== undefined ? ` (budget ${budgetId})` : '';
  const minutes = rule.windowMs / 60_000;
  const window = minutes >= 1 ? `${Number(minutes.toFixed(1))} min` : `${rule.windowMs / 1000} s`;
  return `${rule.name}: ${rule.metric} ${formatMetric(rule.metric, value)}${where}${budget} is ${comparisonWords[rule.comparison]} ${formatMetric(rule.metric, rule.threshold)} over the last ${window}`;
}
