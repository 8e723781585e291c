import type { Command } from 'commander';
import { loadConfig } from '../config/index.js';
import { rotateMasterKey } from '../governance/master-key.js';

/** `switchyard master-key rotate`: replaces the stored master key (restart the gateway to apply it). */
export function registerMasterKeyCommands(program: Command): void {
  const masterKey = program.command('master-key').description('manage the master key');
  masterKey
    .command('rotate')
    .description('create a new master key, store its hash and print it once (restart the gateway to apply)')
    .option('-c, --config <file>', 'config file')
    .action(async (options: { config?: string }) => {
      const loaded = loadConfig({ file: options.config, environment: process.env, cwd: process.cwd() });
      const { openStore } = await import('../main.js');
      const { createSqlSettingsStore } = await import('../governance/sql-settings-store.js');
      const database = await openStore(loaded);
      try {
        const key = await rotateMasterKey(createSqlSettingsStore(database));
        process.stdout.write(`New master key (shown once): ${key}\nRestart the gateway to use it.\n`);
        // The gateway prefers SWITCHYARD_MASTER_KEY and stores its hash at start, which would undo this rotation.
        if (process.env.SWITCHYARD_MASTER_KEY) {
          process.stderr.write('switchyard: SWITCHYARD_MASTER_KEY is set; the gateway uses it instead of the new key. Unset it (or set it to the new key) before restarting.\n');
        }
      } finally {
        await database.close();
      }
    });
}
