import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../spec/gateway-error.js';
import type { BudgetDefinition } from './budget-ledger.js';
import type { BudgetStore } from './budget-store.js';

/** A fresh, empty store and how to dispose of it. */
export interface BudgetStoreFixture {
  store: BudgetStore;
  dispose?: () => Promise<void>;
}

const keyMonthly: BudgetDefinition = { id: 'b-key-month', scope: 'key', scopeId: 'k-1', period: 'month', limitMicros: 5_000_000, thresholds: [50, 80, 100] };
const keyDaily: BudgetDefinition = { id: 'b-key-day', scope: 'key', scopeId: 'k-1', period: 'day', limitMicros: 500_000, thresholds: [] };
const otherKey: BudgetDefinition = { id: 'b-other-key', scope: 'key', scopeId: 'k-2', period: 'month', limitMicros: 1, thresholds: [100] };
const team: BudgetDefinition = { id: 'b-team', scope: 'team', scopeId: 't-1', period: 'week', limitMicros: 20_000_000, thresholds: [90] };
const workspace: BudgetDefinition = { id: 'b-workspace', scope: 'workspace', scopeId: 'w-1', period: 'month', limitMicros: 100_000_000, thresholds: [] };
const organisation: BudgetDefinition = {
  id: 'b-organisation',
  scope: 'organisation',
  scopeId: 'o-1',
  period: 'month',
  // Beyond 32 bits: stored as bigint.
  limitMicros: 9_000_000_000_000,
  thresholds: [25, 50, 75, 100],
};

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  if (error === undefined) return undefined;
  if (!isGatewayError(error)) throw error;
  return error.code;
}

/** The contract every {@link BudgetStore} implementation passes. */
export function describeBudgetStoreContract(name: string, create: () => Promise<BudgetStoreFixture>): void {
  describe(`BudgetStore contract: ${name}`, () => {
    let fixture: BudgetStoreFixture | undefined;
    let store: BudgetStore;

    beforeEach(async () => {
      fixture = await create();
      store = fixture.store;
      for (const definition of [keyMonthly, keyDaily, otherKey, team, workspace, organisation]) await store.create(definition);
    });
    afterEach(async () => {
      await fixture?.dispose?.();
      fixture = undefined;
    });

    it('round-trips a budget, large limits included, and returns undefined for an unknown id', async () => {
      expect(await store.get('b-key-month')).toEqual(keyMonthly);
      expect(await store.get('b-organisation')).toEqual(organisation);
      expect(await store.get('b-missing')).toBeUndefined();
    });

    it('lists all budgets, one kind of owner, or one owner', async () => {
      expect((await store.list()).map((definition) => definition.id).sort()).toEqual(
        ['b-key-day', 'b-key-month', 'b-organisation', 'b-other-key', 'b-team', 'b-workspace'],
      );
      expect((await store.list({ scope: 'key' })).map((definition) => definition.id)).toEqual(['b-key-day', 'b-key-month', 'b-other-key']);
      expect(await store.list({ scope: 'key', scopeId: 'k-1' })).toEqual([keyDaily, keyMonthly]);
      expect(await store.list({ scope: 'team', scopeId: 'k-1' })).toEqual([]);
    });

    it("lists a request's budgets: its key's, team's, workspace's and organisation's, narrowest first", async () => {
      const subject = { keyId: 'k-1', teamId: 't-1', workspaceId: 'w-1', organisationId: 'o-1' };
      expect((await store.listApplicable(subject)).map((definition) => definition.id)).toEqual(['b-key-day', 'b-key-month', 'b-team', 'b-workspace', 'b-organisation']);
      const withoutTeam = { keyId: 'k-2', workspaceId: 'w-2', organisationId: 'o-1' };
      expect((await store.listApplicable(withoutTeam)).map((definition) => definition.id)).toEqual(['b-other-key', 'b-organisation']);
    });

    it('refuses a taken id and a second budget for the same owner and period with conflict', async () => {
      expect(await codeOf(store.create({ ...otherKey, scopeId: 'k-9' }))).toBe('conflict');
      expect(await codeOf(store.create({ ...keyMonthly, id: 'b-key-month-2' }))).toBe('conflict');
      expect(await store.get('b-key-month-2')).toBeUndefined();
      // The same owner may have one budget per period.
      await store.create({ ...keyMonthly, id: 'b-key-week', period: 'week' });
      expect((await store.list({ scope: 'key', scopeId: 'k-1' })).map((definition) => definition.period)).toEqual(['day', 'month', 'week']);
    });

    it('refuses nonsense values with invalid_request and writes nothing', async () => {
      expect(await codeOf(store.create({ ...keyMonthly, id: 'b-zero', scopeId: 'k-3', limitMicros: 0 }))).toBe('invalid_request');
      expect(await codeOf(store.create({ ...keyMonthly, id: 'b-thresholds', scopeId: 'k-3', thresholds: [80, 50] }))).toBe('invalid_request');
      expect(await codeOf(store.create({ ...keyMonthly, id: 'b-period', scopeId: 'k-3', period: 'year' as never }))).toBe('invalid_request');
      expect(await store.list({ scope: 'key', scopeId: 'k-3' })).toEqual([]);
      expect(await codeOf(store.update('b-team', { limitMicros: -1 }))).toBe('invalid_request');
      expect(await codeOf(store.update('b-team', { thresholds: [0, 200] }))).toBe('invalid_request');
      expect(await store.get('b-team')).toEqual(team);
    });

    it('updates the limit and thresholds, together or alone', async () => {
      expect(await store.update('b-team', { limitMicros: 30_000_000 })).toEqual({ ...team, limitMicros: 30_000_000 });
      expect(await store.update('b-team', { thresholds: [50, 100] })).toEqual({ ...team, limitMicros: 30_000_000, thresholds: [50, 100] });
      expect(await store.update('b-team', { limitMicros: 7, thresholds: [] })).toEqual({ ...team, limitMicros: 7, thresholds: [] });
      expect(await store.get('b-team')).toEqual({ ...team, limitMicros: 7, thresholds: [] });
      expect(await store.get('b-workspace')).toEqual(workspace);
      expect(await store.update('b-missing', { limitMicros: 1 })).toBeUndefined();
    });

    it('deletes a budget, freeing its owner and period', async () => {
      expect(await store.delete('b-key-month')).toBe(true);
      expect(await store.delete('b-key-month')).toBe(false);
      expect(await store.get('b-key-month')).toBeUndefined();
      await store.create({ ...keyMonthly, id: 'b-key-month-new' });
      expect((await store.list({ scope: 'key', scopeId: 'k-1' })).map((definition) => definition.id)).toEqual(['b-key-day', 'b-key-month-new']);
    });
  });
}
