import type { BudgetStateLine } from './state-metrics.js';

/** A budget definition as far as the gauges need it (structural: governance owns the real type). */
interface BudgetLabels {
  id: string;
  scope: string;
  period: string;
}

/** A budget's current-period figures as the budget ledger reports them. */
interface BudgetFigures {
  budgetId: string;
  spentMicros: number;
  reservedMicros: number;
  limitMicros: number;
}

/**
 * Reads every configured budget and its state in the current period, for the budget gauges: one list from
 * the budget store and one `states` call on the budget ledger per scrape.
 */
export async function readBudgetLines<Definition extends BudgetLabels>(
  list: () => Promise<Definition[]>,
  states: (definitions: Definition[], nowMs: number) => Promise<BudgetFigures[]>,
  nowMs: number,
): Promise<BudgetStateLine[]> {
  const definitions = await list();
  if (definitions.length === 0) return [];
  const byId = new Map(definitions.map((definition) => [definition.id, definition]));
  const lines: BudgetStateLine[] = [];
  for (const state of await states(definitions, nowMs)) {
    const definition = byId.get(state.budgetId);
    if (definition === undefined) continue;
    lines.push({
      budgetId: state.budgetId,
      scope: definition.scope,
      period: definition.period,
      spentMicros: state.spentMicros,
      reservedMicros: state.reservedMicros,
      limitMicros: state.limitMicros,
    });
  }
  return lines;
}
