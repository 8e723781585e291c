import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../spec/gateway-error.js';
import type { BudgetDefinition } from './budget-ledger.js';
import { applicableBudgets, parseBudgetDefinition, parseBudgetPatch } from './budget-definition.js';

const valid = { id: 'b-1', scope: 'workspace', scopeId: 'w-1', period: 'month', limitMicros: 50_000_000, thresholds: [50, 80, 100] };

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isGatewayError(error) && error.code === 'invalid_request' && error.status === 400) return error.message;
    throw error;
  }
  throw new Error('expected an invalid_request error');
}

describe('parseBudgetDefinition', () => {
  it('accepts a budget and defaults thresholds to none', () => {
    expect(parseBudgetDefinition(valid)).toEqual(valid);
    const { thresholds: _thresholds, ...withoutThresholds } = valid;
    expect(parseBudgetDefinition(withoutThresholds).thresholds).toEqual([]);
  });

  it.each([
    [{ limitMicros: 0 }, 'limitMicros: limitMicros must be above 0'],
    [{ limitMicros: -5 }, 'limitMicros: limitMicros must be above 0'],
    [{ limitMicros: 1.5 }, 'whole number of micro-dollars'],
    [{ limitMicros: '100' }, 'limitMicros must be a number of micro-dollars'],
    [{ limitMicros: 2 ** 60 }, 'limitMicros must be at most'],
    [{ thresholds: [0] }, 'thresholds.0: a threshold must be between 1 and 100'],
    [{ thresholds: [50, 150] }, 'thresholds.1: a threshold must be between 1 and 100'],
    [{ thresholds: [80, 50] }, 'ascending order without repeats'],
    [{ thresholds: [50, 50] }, 'ascending order without repeats'],
    [{ thresholds: [33.3] }, 'whole percentage'],
    [{ period: 'year' }, 'period: period must be one of day, week, month'],
    [{ scope: 'project' }, 'scope: scope must be one of key, team, workspace, organisation'],
    [{ scopeId: '' }, 'scopeId: scopeId must name'],
    [{ colour: 'red' }, 'colour'],
  ])('refuses %j with a clear reason', (change, reason) => {
    expect(messageOf(() => parseBudgetDefinition({ ...valid, ...change }))).toContain(reason);
  });

  it('names every wrong field at once and the first as the parameter', () => {
    try {
      parseBudgetDefinition({ ...valid, limitMicros: -1, period: 'year' });
      expect.unreachable();
    } catch (error) {
      expect(isGatewayError(error) && error.param).toBe('period');
      expect((error as Error).message).toMatch(/period: .*; limitMicros: /);
    }
  });
});

describe('parseBudgetPatch', () => {
  it('accepts a new limit, new thresholds or both', () => {
    expect(parseBudgetPatch({ limitMicros: 10 })).toEqual({ limitMicros: 10 });
    expect(parseBudgetPatch({ thresholds: [90] })).toEqual({ thresholds: [90] });
  });

  it('refuses an empty change, nonsense values and fields that cannot change', () => {
    expect(messageOf(() => parseBudgetPatch({}))).toContain('needs limitMicros or thresholds');
    expect(messageOf(() => parseBudgetPatch({ limitMicros: 0 }))).toContain('above 0');
    expect(messageOf(() => parseBudgetPatch({ period: 'day' }))).toContain('period');
  });
});

describe('applicableBudgets', () => {
  const definitions: BudgetDefinition[] = [
    { id: 'org', scope: 'organisation', scopeId: 'o-1', period: 'month', limitMicros: 1, thresholds: [] },
    { id: 'other-org', scope: 'organisation', scopeId: 'o-2', period: 'month', limitMicros: 1, thresholds: [] },
    { id: 'workspace', scope: 'workspace', scopeId: 'w-1', period: 'month', limitMicros: 1, thresholds: [] },
    { id: 'team', scope: 'team', scopeId: 't-1', period: 'week', limitMicros: 1, thresholds: [] },
    { id: 'key-day', scope: 'key', scopeId: 'k-1', period: 'day', limitMicros: 1, thresholds: [] },
    { id: 'key-month', scope: 'key', scopeId: 'k-1', period: 'month', limitMicros: 1, thresholds: [] },
    { id: 'other-key', scope: 'key', scopeId: 'k-2', period: 'day', limitMicros: 1, thresholds: [] },
    // A team budget whose id equals the workspace id must not apply through the workspace.
    { id: 'team-named-like-workspace', scope: 'team', scopeId: 'w-1', period: 'day', limitMicros: 1, thresholds: [] },
  ];

  it('picks the key, team, workspace and organisation budgets, narrowest first', () => {
    const subject = { keyId: 'k-1', teamId: 't-1', workspaceId: 'w-1', organisationId: 'o-1' };
    expect(applicableBudgets(definitions, subject).map((definition) => definition.id)).toEqual(['key-day', 'key-month', 'team', 'workspace', 'org']);
  });

  it('applies no team budget to a key without a team', () => {
    const subject = { keyId: 'k-2', workspaceId: 'w-1', organisationId: 'o-2' };
    expect(applicableBudgets(definitions, subject).map((definition) => definition.id)).toEqual(['other-key', 'workspace', 'other-org']);
  });
});
