import type { Command } from 'commander';
import type { z } from 'zod';
import type { budgetViewSchema } from '../governance/admin/budget-admin.js';
import { adminDelete, adminList, adminPost } from './admin-http.js';
import { adminAction, withAdminOptions, type AdminSession } from './admin-session.js';
import { choiceParser, formatDollars, formatTime, parseDollars, parsePercentages } from './command-values.js';
import { scopeFromOptions, scopeLabel, scopeLabels, scopeOrOrganisation, withScopeOptions, type ScopeOptions } from './scope-options.js';
import { formatList, type TableColumn } from './table.js';

/** A budget with its current period's spend, as the API shows it. */
export type BudgetView = z.output<typeof budgetViewSchema>;

const periods = ['day', 'week', 'month'] as const;

interface CreateBudgetOptions extends ScopeOptions {
  limit: number;
  period: (typeof periods)[number];
  thresholds?: number[];
  id?: string;
}

/** How much of the limit is spent or reserved, to a tenth of a percent. */
export function budgetUse(budget: BudgetView): string {
  const used = budget.state.spentMicros + budget.state.reservedMicros;
  return `${((used / budget.limitMicros) * 100).toFixed(1)}%`;
}

function budgetColumns(labels: ReadonlyMap<string, string>): Array<TableColumn<BudgetView>> {
  return [
    { header: 'id', cell: (budget) => budget.id },
    { header: 'owner', cell: (budget) => scopeLabel(labels, budget) },
    { header: 'period', cell: (budget) => budget.period },
    { header: 'limit', cell: (budget) => formatDollars(budget.limitMicros), alignRight: true },
    { header: 'spent', cell: (budget) => formatDollars(budget.state.spentMicros), alignRight: true },
    { header: 'reserved', cell: (budget) => formatDollars(budget.state.reservedMicros), alignRight: true },
    { header: 'used', cell: (budget) => budgetUse(budget), alignRight: true },
    { header: 'alerts at', cell: (budget) => budget.thresholds.map((threshold) => `${threshold}%`).join(',') },
    { header: 'resets', cell: (budget) => formatTime(budget.state.periodEnd) },
  ];
}

async function listBudgets(session: AdminSession, options: ScopeOptions): Promise<void> {
  const owner = await scopeFromOptions(session, options);
  const budgets = await adminList<BudgetView>(session.connection, '/admin/v1/budgets', owner === undefined ? {} : { scope: owner.scope, scopeId: owner.scopeId });
  const labels = session.json ? new Map<string, string>() : await scopeLabels(session, budgets);
  session.print(budgets, () => formatList(budgetColumns(labels), budgets, 'No budgets.'));
}

/** `switchyard budgets [list|create|delete]`: spend limits in dollars, enforced in integer micro-dollars. */
export function registerBudgetCommands(program: Command): void {
  const budgets = program.command('budgets').description('budgets and their current spend (admin API)');

  withAdminOptions(withScopeOptions(budgets.command('list', { isDefault: true }).description('list budgets with their spend (the default)'), { teams: true, purpose: 'only the budgets of' })).action(
    adminAction<ScopeOptions>((session, options) => listBudgets(session, options)),
  );

  withAdminOptions(
    withScopeOptions(
      budgets
        .command('create')
        .description('create a budget (default owner: the whole organisation)')
        .requiredOption('--limit <dollars>', 'the hard limit per period in dollars, e.g. 25.50', parseDollars)
        .option('--period <period>', `${periods.join(', ')} (calendar-aligned, UTC; default month)`, choiceParser(periods), 'month')
        .option('--thresholds <percentages>', 'alert thresholds, e.g. 50,80,100', parsePercentages)
        .option('--id <id>', 'the budget id (default: chosen by the gateway)'),
      { teams: true, purpose: 'a budget for' },
    ),
  ).action(
    adminAction<CreateBudgetOptions>(async (session, options) => {
      const owner = await scopeOrOrganisation(session, options);
      const body = { ...owner, period: options.period, limitMicros: options.limit, ...(options.thresholds === undefined ? {} : { thresholds: options.thresholds }), ...(options.id === undefined ? {} : { id: options.id }) };
      const created = await adminPost<BudgetView>(session.connection, '/admin/v1/budgets', body);
      const labels = await scopeLabels(session, [created]);
      session.print(created, () => `Created budget ${created.id}: ${formatDollars(created.limitMicros)} per ${created.period} for ${scopeLabel(labels, created)}\n`);
    }),
  );

  withAdminOptions(budgets.command('delete <id>').description('delete a budget')).action(
    adminAction(async (session, _options, [id]) => {
      const deleted = await adminDelete<{ id: string; deleted: true }>(session.connection, `/admin/v1/budgets/${encodeURIComponent(id)}`);
      session.print(deleted, () => `Deleted budget ${deleted.id}\n`);
    }),
  );
}
