export type {
  ConcurrencyDecision,
  ConcurrencyLease,
  LimitAlgorithm,
  LimitCheck,
  LimitDecision,
  LimitMetric,
  LimitRule,
  LimitStatus,
  RateLimiter,
} from './rate-limiter.js';
export { MemoryRateLimiter, type MemoryRateLimiterOptions } from './memory-rate-limiter.js';
export { RedisRateLimiter, type RedisRateLimiterOptions } from './redis-rate-limiter.js';
export {
  limitDefinitionSchema,
  limitScopes,
  parseLimitDefinition,
  resolveLimitRules,
  type ConcurrencyLimit,
  type LimitDefinition,
  type LimitDefinitionInput,
  type LimitScope,
  type LimitSubject,
  type ResolvedLimits,
} from './limit-definition.js';
export { formatResetDuration, rateLimitHeaders } from './rate-limit-headers.js';
export type { LimitDefinitionPatch, LimitFilter, LimitStore } from './limit-store.js';
export { SqlLimitStore } from './sql-limit-store.js';
