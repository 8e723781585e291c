import type { Command } from 'commander';
import type { z } from 'zod';
import type { limitSchema } from '../governance/admin/limit-admin.js';
import { adminDelete, adminList, adminPost } from './admin-http.js';
import { adminAction, withAdminOptions } from './admin-session.js';
import { choiceParser, formatDuration, integerParser, parseDuration } from './command-values.js';
import { scopeFromOptions, scopeLabel, scopeLabels, scopeOrOrganisation, withScopeOptions, type ScopeOptions } from './scope-options.js';
import { formatList, type TableColumn } from './table.js';

/** A rate limit as the API shows it. */
export type LimitView = z.output<typeof limitSchema>;

const metrics = ['requests', 'tokens', 'concurrent'] as const;
const algorithms = ['sliding-window', 'token-bucket'] as const;

interface CreateLimitOptions extends ScopeOptions {
  metric: (typeof metrics)[number];
  limit: number;
  window?: number;
  algorithm?: (typeof algorithms)[number];
  model?: string;
  id?: string;
}

/** `100 requests / 1m`, `50000 tokens / 1h`, `4 concurrent`. */
export function describeLimit(limit: Pick<LimitView, 'metric' | 'limit' | 'windowMs'>): string {
  return limit.windowMs === undefined ? `${limit.limit} ${limit.metric}` : `${limit.limit} ${limit.metric} / ${formatDuration(limit.windowMs)}`;
}

/** The body of `limits create`, refusing what the API would refuse, in command-line terms. */
export function limitBody(options: CreateLimitOptions): Record<string, unknown> {
  if (options.metric === 'concurrent' && options.window !== undefined) throw new Error('--window: a concurrent limit counts requests in flight and takes no window');
  if (options.metric !== 'concurrent' && options.window === undefined) throw new Error(`--window is required for a ${options.metric} limit (1s to 24h, e.g. 1m)`);
  return {
    metric: options.metric,
    limit: options.limit,
    ...(options.window === undefined ? {} : { windowMs: options.window }),
    ...(options.algorithm === undefined ? {} : { algorithm: options.algorithm }),
    ...(options.model === undefined ? {} : { model: options.model }),
    ...(options.id === undefined ? {} : { id: options.id }),
  };
}

function limitColumns(labels: ReadonlyMap<string, string>): Array<TableColumn<LimitView>> {
  return [
    { header: 'id', cell: (limit) => limit.id },
    { header: 'owner', cell: (limit) => scopeLabel(labels, limit) },
    { header: 'model', cell: (limit) => limit.model ?? 'any' },
    { header: 'limit', cell: (limit) => describeLimit(limit) },
    { header: 'algorithm', cell: (limit) => (limit.metric === 'concurrent' ? undefined : limit.algorithm) },
  ];
}

/** `switchyard limits [list|create|delete]`: rate limits on requests, tokens and concurrent requests. */
export function registerLimitCommands(program: Command): void {
  const limits = program.command('limits').description('rate limits (admin API)');

  withAdminOptions(withScopeOptions(limits.command('list', { isDefault: true }).description('list rate limits (the default)'), { teams: true, purpose: 'only the limits of' })).action(
    adminAction<ScopeOptions>(async (session, options) => {
      const owner = await scopeFromOptions(session, options);
      const found = await adminList<LimitView>(session.connection, '/admin/v1/limits', owner === undefined ? {} : { scope: owner.scope, scopeId: owner.scopeId });
      const labels = session.json ? new Map<string, string>() : await scopeLabels(session, found);
      session.print(found, () => formatList(limitColumns(labels), found, 'No rate limits.'));
    }),
  );

  withAdminOptions(
    withScopeOptions(
      limits
        .command('create')
        .description('create a rate limit (default owner: the whole organisation)')
        .requiredOption('--metric <metric>', metrics.join(', '), choiceParser(metrics))
        .requiredOption('--limit <count>', 'requests, tokens or requests in flight allowed', integerParser(1))
        .option('--window <duration>', 'the window of a requests or tokens limit, 1s to 24h (e.g. 1m)', parseDuration)
        .option('--algorithm <algorithm>', `${algorithms.join(' or ')} (default sliding-window)`, choiceParser(algorithms))
        .option('--model <model>', 'only requests for this model (default: every model)')
        .option('--id <id>', 'the limit id (default: chosen by the gateway)'),
      { teams: true, purpose: 'a limit on' },
    ),
  ).action(
    adminAction<CreateLimitOptions>(async (session, options) => {
      const body = limitBody(options);
      const owner = await scopeOrOrganisation(session, options);
      const created = await adminPost<LimitView>(session.connection, '/admin/v1/limits', { ...owner, ...body });
      const labels = await scopeLabels(session, [created]);
      session.print(created, () => `Created limit ${created.id}: ${describeLimit(created)} for ${scopeLabel(labels, created)}${created.model === undefined ? '' : ` (model ${created.model})`}\n`);
    }),
  );

  withAdminOptions(limits.command('delete <id>').description('delete a rate limit')).action(
    adminAction(async (session, _options, [id]) => {
      const deleted = await adminDelete<{ id: string; deleted: true }>(session.connection, `/admin/v1/limits/${encodeURIComponent(id)}`);
      session.print(deleted, () => `Deleted limit ${deleted.id}\n`);
    }),
  );
}
