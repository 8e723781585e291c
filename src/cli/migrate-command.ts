import type { Command } from 'commander';
import { loadConfig } from '../config/index.js';

/** `switchyard migrate`: brings the configured store's schema up to date. */
export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('create or upgrade the database schema of the configured store')
    .option('-c, --config <file>', 'config file')
    .action(async (options: { config?: string }) => {
      const loaded = loadConfig({ file: options.config, environment: process.env, cwd: process.cwd() });
      const { databaseOptionsOf } = await import('../main.js');
      const { migrateToLatest, openDatabase } = await import('../db/index.js');
      const database = await openDatabase(databaseOptionsOf(loaded));
      try {
        const applied = await migrateToLatest(database);
        process.stdout.write(applied.length === 0 ? 'The schema is up to date.\n' : `Applied: ${applied.join(', ')}\n`);
      } finally {
        await database.close();
      }
    });
}
