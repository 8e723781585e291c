import type { Command } from 'commander';
import { parsePort } from './parse-port.js';

/** `switchyard start`: runs the gateway until SIGTERM / SIGINT, then drains and flushes the ledger. */
export function registerStartCommand(program: Command): void {
  program
    .command('start', { isDefault: true })
    .description('start the gateway (embedded SQLite store by default)')
    .option('-c, --config <file>', 'config file (default ./switchyard.yaml when present)')
    .option('-p, --port <port>', 'port to listen on (default 4000, or SWITCHYARD_PORT / PORT)', parsePort)
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .action(async (options: { config?: string; port?: number; host?: string }) => {
      const overrides: Array<{ path: string[]; value: unknown }> = [];
      if (options.port !== undefined) overrides.push({ path: ['server', 'port'], value: options.port });
      if (options.host !== undefined) overrides.push({ path: ['server', 'host'], value: options.host });
      // Loaded here so that light commands (`logs`, `providers`) do not pay for the whole gateway.
      const { startGateway } = await import('../main.js');
      // The handlers go in before the gateway starts: a signal that arrived between the banner and their
      // installation would otherwise kill the process with Node's default action, unflushed. A signal during
      // start-up is kept and acted on as soon as the gateway runs.
      let running: Awaited<ReturnType<typeof startGateway>> | undefined;
      let requested: string | undefined;
      const stop = (signal: string) => {
        if (requested !== undefined && running === undefined) return;
        if (running === undefined) {
          requested = signal;
          return;
        }
        if (requested === 'stopping') return;
        requested = 'stopping';
        process.stdout.write(`Switchyard: ${signal} received, finishing in-flight requests and flushing the ledger\n`);
        running.close().then(
          () => process.exit(0),
          (error: Error) => {
            process.stderr.write(`switchyard: shutdown failed: ${error.message}\n`);
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
      running = await startGateway({ cwd: process.cwd(), environment: process.env, configFile: options.config, overrides });
      if (requested !== undefined) {
        const signal = requested;
        requested = undefined;
        stop(signal);
      }
    });
}
