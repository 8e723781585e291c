export { analyticsOverview, readableRequestScope, type AnalyticsAdminDependencies } from './analytics-admin.js';
export * from './analytics-types.js';
export { weightedPercentiles, type WeightedValue } from './percentiles.js';
export { SqlAnalytics, type SampleBudget } from './sql-analytics.js';
export { deploymentStatusSchema, listDeploymentStatuses, type DeploymentSources, type DeploymentStatus } from './deployment-status.js';
