import type { Command } from 'commander';

/** `switchyard providers`: the provider kinds, how each is configured, and which the environment has. */
export function registerProvidersCommand(program: Command): void {
  program
    .command('providers')
    .description('list the provider kinds and which ones the environment configures')
    .action(async () => {
      const { providerDefinitions } = await import('../providers/registry.js');
      const { probeUrl } = await import('../kit/probe-url.js');
      for (const definition of providerDefinitions) {
        const found = await definition.discover({ environment: process.env, probe: (url) => probeUrl(url, 300) });
        const variables = definition.environmentVariables.length > 0 ? definition.environmentVariables.join(', ') : 'config only';
        process.stdout.write(`${found ? '*' : ' '} ${definition.kind.padEnd(18)} ${definition.description}\n    ${variables}\n`);
      }
      process.stdout.write('\n* = found in this environment\n');
    });
}
