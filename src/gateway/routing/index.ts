export * from './backoff.js';
export * from './deployment.js';
export * from './deployment-health.js';
export * from './in-process-deployment-health.js';
export * from './route-types.js';
export * from './router.js';
export * from './strategies/index.js';
export * from './shared-breaker-state.js';
