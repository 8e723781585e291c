import { InvalidArgumentError, type Command } from 'commander';
import type { LedgerRow } from '../observatory/index.js';
import { adminConnection, adminGet } from './admin-client.js';

interface LogsOptions {
  url?: string;
  key?: string;
  follow?: boolean;
  model?: string;
  provider?: string;
  status?: 'ok' | 'error';
  limit: number;
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

function parseLimit(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new InvalidArgumentError('expected a whole number from 1 to 1000');
  return limit;
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
    .option('-n, --limit <count>', 'how many rows (1-1000)', parseLimit, 20)
    .option('--json', 'one JSON object per line')
    .action(async (options: LogsOptions) => {
      const connection = adminConnection(options);
      const filter = new URLSearchParams();
      if (options.model) filter.set('model', options.model);
      if (options.provider) filter.set('provider', options.provider);
      if (options.status) filter.set('status', options.status);
      const print = (row: LedgerRow) => process.stdout.write(`${options.json ? JSON.stringify(row) : formatLedgerRow(row)}\n`);
      if (!options.follow) {
        filter.set('limit', String(options.limit));
        const first = await adminGet<{ data: LedgerRow[] }>(connection, `/admin/requests?${filter}`);
        for (const row of [...first.data].reverse()) print(row);
        return;
      }
      await followLedger({
        limit: options.limit,
        fetchRows: async (since) => {
          const query = new URLSearchParams(filter);
          if (since !== undefined) query.set('since', String(since));
          query.set('limit', String(followPageSize));
          return (await adminGet<{ data: LedgerRow[] }>(connection, `/admin/requests?${query}`)).data;
        },
        print,
        warn: (message) => process.stderr.write(`switchyard: ${message}\n`),
        pause: () => new Promise((resolve) => setTimeout(resolve, 1000)),
      });
    });
}

/** How many rows one follow poll asks for. */
const followPageSize = 1000;

/**
 * How far back each poll looks. A row's timestamp is when its request STARTED, and it is written when the
 * request ends, so a long request shows up behind shorter ones that started after it; polling only from the
 * newest row seen would skip it. Requests that take longer than this window (the default total timeout)
 * are not shown.
 */
const followWindowMs = 600_000;

/** What {@link followLedger} needs: a way to read rows since a time, print one, and wait. */
export interface FollowLedgerOptions {
  /** How many of the existing rows to print first. */
  limit: number;
  /** The newest rows (newest first) with a timestamp >= since (all rows when undefined). */
  fetchRows(since: number | undefined): Promise<LedgerRow[]>;
  print(row: LedgerRow): void;
  warn(message: string): void;
  pause(): Promise<void>;
  /** Stops the loop (tests); never by default. */
  shouldStop?: () => boolean;
}

/**
 * `logs --follow`: prints the newest `limit` rows, then every row not printed before, oldest first. Rows
 * are recognised by id, so each is printed once however often the window returns it. A gateway that cannot
 * be reached is reported once and polled again (it may be restarting); other errors end the command.
 */
export async function followLedger(options: FollowLedgerOptions): Promise<void> {
  const seen = new Map<string, number>();
  const initial = await options.fetchRows(undefined);
  for (const row of initial) seen.set(row.id, row.timestamp);
  for (const row of initial.slice(0, Math.max(0, options.limit)).reverse()) options.print(row);
  let newest = initial[0]?.timestamp;
  let unreachable = false;
  while (!(options.shouldStop?.() ?? false)) {
    await options.pause();
    const since = newest === undefined ? undefined : newest - followWindowMs;
    let rows: LedgerRow[];
    try {
      rows = await options.fetchRows(since);
    } catch (error) {
      const message = (error as Error).message;
      if (!message.startsWith('cannot reach')) throw error;
      if (!unreachable) options.warn(`${message}; still trying`);
      unreachable = true;
      continue;
    }
    unreachable = false;
    for (const row of [...rows].reverse()) {
      if (seen.has(row.id)) continue;
      seen.set(row.id, row.timestamp);
      options.print(row);
      newest = newest === undefined ? row.timestamp : Math.max(newest, row.timestamp);
    }
    // Forget ids that have left the window, so the set stays small on a busy gateway.
    if (since !== undefined) for (const [id, timestamp] of seen) if (timestamp < since) seen.delete(id);
  }
}
