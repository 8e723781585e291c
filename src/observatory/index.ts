export { BatchedLedgerWriter, type BatchedLedgerWriterOptions, type BatchedLedgerWriterStats } from './batched-writer.js';
export { computeCostMicros } from './cost.js';
export { unrefTimerScheduler, type FlushScheduler } from './flush-scheduler.js';
export {
  dayOf,
  defaultQueryLimit,
  maximumQueryLimit,
  type DailyRollupQuery,
  type DailyUsage,
  type LedgerAttempt,
  rollupDimensions,
  type LedgerPosition,
  type LedgerQuery,
  type LedgerRow,
  type LedgerTrace,
  type RollupDimension,
  type SpendScope,
  type UsageRollup,
  type UsageRollupQuery,
} from './ledger-row.js';
export type { LedgerWriter } from './ledger-writer.js';
export type { ObservedRequest, RequestObserver } from './request-observer.js';
export { MemoryUsageLedger } from './memory-usage-ledger.js';
export { createGatewayMetrics, type GatewayMetrics } from './metrics.js';
export { SqlUsageLedger } from './sql-usage-ledger.js';
export { estimateChatInputTokens, estimateTextTokens, loadTokenizer } from './token-estimate.js';
export type { UsageLedger } from './usage-ledger.js';
