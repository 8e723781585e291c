export { migrateToLatest } from './migrate.js';
export { openDatabase, type Database, type DatabaseOptions } from './open-database.js';
export type { DatabaseSchema, SettingsTable, UsageDailyTable, UsageLedgerTable } from './schema.js';
