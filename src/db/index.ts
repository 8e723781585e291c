export { migrateToLatest } from './migrate.js';
export { openDatabase, type Database, type DatabaseOptions } from './open-database.js';
export { SqliteCheckpointer, type CheckpointResult } from './sqlite-checkpointer.js';
export type { DatabaseSchema, SettingsTable, UsageDailyTable, UsageLedgerTable } from './schema.js';
export { assertPayload, assertTopic, resyncPayload, resyncTopic, topicPattern, type ChangeBus, type ChangeListener, type ChangePayload } from './change-bus.js';
export { MemoryChangeBus, MemoryChangeNetwork, type MemoryChangeBusOptions } from './memory-change-bus.js';
export { RedisChangeBus, type RedisChangeBusOptions } from './redis-change-bus.js';
export { describeRedisTarget, openRedis, RedisUnreachableError, type RedisConnection, type RedisConnectionOptions } from './redis-connection.js';
export { RedisBreakerStateStore } from './redis-breaker-state-store.js';
