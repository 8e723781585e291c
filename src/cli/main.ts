#!/usr/bin/env node
import { Command } from 'commander';
import { ConfigError } from '../config/index.js';
import { registerConfigCommands } from './config-commands.js';
import { registerLogsCommand } from './logs-command.js';
import { registerMasterKeyCommands } from './master-key-commands.js';
import { registerStartCommand } from './start-command.js';
import { registerMigrateCommand } from './migrate-command.js';
import { registerProvidersCommand } from './providers-command.js';
import { registerLlmCommands } from './llm-commands.js';
import { registerGovernanceCommands } from './governance-commands.js';
import { registerAnomalyCommands } from './anomaly-commands.js';

const program = new Command()
  .name('switchyard')
  .description('Self-hosted AI operations layer: an OpenAI- and Anthropic-compatible LLM gateway')
  .version('0.1.0')
  .showHelpAfterError();

registerStartCommand(program);
registerLogsCommand(program);
registerConfigCommands(program);
registerMigrateCommand(program);
registerMasterKeyCommands(program);
registerProvidersCommand(program);
registerLlmCommands(program);
registerGovernanceCommands(program);
registerAnomalyCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
  process.stderr.write(`switchyard: ${(error as Error).message}\n`);
  process.exit(1);
});
