import type { Command } from 'commander';
import type { LedgerRow } from '../observatory/index.js';
import { adminConnection, adminGet } from './admin-client.js';

interface LogsOptions {
  url?: string;
  key?: string;
  follow?: boolean;
  model?: string;
  provider?: string;
  status?: 'ok' | 'error';
  limit: string;
  json?: boolean;
}

function formatCost(micros: number | undefined): string {
  return micros === undefined ? '$?' : `$${(micros / 1_000_000).toFixed(6)}`;
}

function formatTokens(row: LedgerRow): string {
  const input = (row.inputTokens ?? 0) + (row.cacheReadTokens ?? 0) + (row.cacheWriteTokens ?? 0);
  const output = (row.outputTokens ?? 0) + (row.reasoningTokens ?? 0);
  const estimated = row.usageSource === 'estimate' ? '~' : '';
  return row.usageSource === 'none' ? 'tokens ?' : `${estimated}${input} in / ${estimated}${output} out`;
}

/** One human line per request. */
export function formatLedgerRow(row: LedgerRow): string {
  const time = new Date(row.timestamp).toISOString();
  const served = row.servedProvider ? ` -> ${row.servedProvider}/${row.servedModel}` : '';
  const status = row.status === 'ok' ? `${row.httpStatus}` : `${row.httpStatus} ${row.errorCode ?? 'error'}`;
  const retries = row.attempts.length > 1 ? ` attempts=${row.attempts.length}` : '';
  const ttft = row.timeToFirstTokenMs !== undefined ? ` ttft=${Math.round(row.timeToFirstTokenMs)}ms` : '';
  return `${time} ${row.id} ${status} ${row.operation}${row.stream ? '(stream)' : ''} ${row.requestedModel}${served} ${formatTokens(row)} ${formatCost(row.costMicros)} ${Math.round(row.latencyMs)}ms${ttft}${retries}`;
}

/** `switchyard logs`: the newest ledger rows, filtered, optionally followed. */
export function registerLogsCommand(program: Command): void {
  program
    .command('logs')
    .description('show (and with --follow, tail) the request ledger of a running gateway')
    .option('--url <url>', 'gateway address (default SWITCHYARD_URL or http://127.0.0.1:4000)')
    .option('--key <key>', 'master key (default SWITCHYARD_MASTER_KEY)')
    .option('-f, --follow', 'keep printing new requests')
    .option('--model <model>', 'only this requested model')
    .option('--provider <provider>', 'only this provider')
    .option('--status <status>', 'ok or error')
    .option('-n, --limit <count>', 'how many rows', '20')
    .option('--json', 'one JSON object per line')
    .action(async (options: LogsOptions) => {
      const connection = adminConnection(options);
      const filter = new URLSearchParams();
      if (options.model) filter.set('model', options.model);
      if (options.provider) filter.set('provider', options.provider);
      if (options.status) filter.set('status', options.status);
      const print = (row: LedgerRow) => process.stdout.write(`${options.json ? JSON.stringify(row) : formatLedgerRow(row)}\n`);
      filter.set('limit', options.limit);
      const first = await adminGet<{ data: LedgerRow[] }>(connection, `/admin/requests?${filter}`);
      const seen = new Set<string>();
      for (const row of [...first.data].reverse()) {
        seen.add(row.id);
        print(row);
      }
      if (!options.follow) return;
      let since = first.data[0]?.timestamp ?? Date.now() - 1000;
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        filter.set('since', String(since));
        filter.set('limit', '1000');
        const next = await adminGet<{ data: LedgerRow[] }>(connection, `/admin/requests?${filter}`);
        for (const row of [...next.data].reverse()) {
          if (seen.has(row.id)) continue;
          seen.add(row.id);
          since = Math.max(since, row.timestamp);
          print(row);
        }
        if (seen.size > 100_000) seen.clear();
      }
    });
}
