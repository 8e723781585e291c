/** The shape of `GET /admin/v1/analytics/overview`: the server's own types (type-only, nothing is bundled). */
export type { AnalyticsOverview, BreakdownDimension, BreakdownRow, Percentiles, SeriesBucket, UsageTotals } from '../../src/observatory/analytics/analytics-types.js';
export type { DeploymentStatus } from '../../src/observatory/analytics/deployment-status.js';
