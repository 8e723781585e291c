import type { Migration } from 'kysely/migration';
import { initialMigration } from './0001-initial.js';

/**
 * Every migration, by name, in order. A static list rather than a folder scan so that the built `dist`
 * (and any bundle) carries them. Add new ones as `NNNN-name.ts` and list them here.
 */
export const migrations: Record<string, Migration> = {
  '0001-initial': initialMigration,
};
