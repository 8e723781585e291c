import type { Database } from '../db/index.js';
import type { SettingsStore } from './master-key.js';

/** The `settings` table as a {@link SettingsStore} (SQLite and PostgreSQL alike). */
export function createSqlSettingsStore(database: Database): SettingsStore {
  const { kysely } = database;
  return {
    async get(key) {
      const row = await kysely.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
      return row?.value;
    },
    async set(key, value) {
      await kysely
        .insertInto('settings')
        .values({ key, value })
        .onConflict((conflict) => conflict.column('key').doUpdateSet({ value }))
        .execute();
    },
  };
}
