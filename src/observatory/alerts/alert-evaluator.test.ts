import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteTestDatabase } from '../../../test/support/sqlite-test-database.js';
import { silentLogger } from '../../kit/silent-logger.js';
import type { FlushScheduler } from '../flush-scheduler.js';
import type { LedgerRow } from '../ledger-row.js';
import { ledgerRow } from '../usage-ledger-contract.js';
import { AlertEvaluator, type AlertNotice } from './alert-evaluator.js';
import { alertRuleFieldsSchema, type AlertRule } from './alert-rule.js';
import { RequestWindow } from './request-window.js';
import { SqlAlertStore } from './sql-alert-store.js';

const start = Date.UTC(2026, 10, 27, 8, 0, 0);
let sequence = 0;

function rule({ id = 'alr_1', ...fields }: Record<string, unknown>, owner: Partial<Pick<AlertRule, 'organisationId' | 'workspaceId'>> = { organisationId: 'org_a' }): AlertRule {
  return { ...alertRuleFieldsSchema.parse({ name: 'errors', metric: 'error_rate', threshold: 0.5, windowMs: 60_000, ...fields }), id: id as string, ...owner, createdAt: start, updatedAt: start };
}

function request(atMs: number, changes: Partial<LedgerRow> = {}): LedgerRow {
  sequence += 1;
  return ledgerRow({ id: `req_${sequence}`, timestamp: atMs, organisationId: 'org_a', workspaceId: 'ws_a', ...changes });
}

function failed(atMs: number, changes: Partial<LedgerRow> = {}): LedgerRow {
  return request(atMs, { status: 'error', httpStatus: 502, errorCode: 'upstream_error', ...changes });
}

describe('AlertEvaluator', () => {
  let now: number;
  let notices: AlertNotice[];
  let window: RequestWindow;
  let store: SqlAlertStore;
  let evaluator: AlertEvaluator;
  let dispose: () => Promise<void>;

  const build = () => new AlertEvaluator({ window, store, notify: (notice) => notices.push(notice), now: () => now, logger: silentLogger });

  beforeEach(async () => {
    const fixture = await openSqliteTestDatabase('alert-evaluator');
    dispose = fixture.dispose;
    store = new SqlAlertStore(fixture.database);
    now = start;
    notices = [];
    window = new RequestWindow(10_000);
    evaluator = build();
  });
  afterEach(async () => {
    await evaluator.stop();
    await dispose();
  });

  it('fires once while the error rate stays high, and resolves when it clears', async () => {
    evaluator.setRules([rule({ severity: 'critical' })]);
    for (let index = 0; index < 4; index += 1) window.record(failed(now - 5_000));
    window.record(request(now - 5_000));
    await evaluator.evaluate();
    expect(notices.map((notice) => [notice.kind, notice.alert.value])).toEqual([['firing', 0.8]]);
    expect(notices[0].alert).toMatchObject({ ruleId: 'alr_1', ruleName: 'errors', organisationId: 'org_a', group: 'all', severity: 'critical', state: 'firing', threshold: 0.5, firedAt: now });
    expect(notices[0].alert.message).toContain('80.0 %');

    // Still failing: de-duplicated, no second notice.
    now += 10_000;
    window.record(failed(now - 1_000));
    await evaluator.evaluate();
    expect(notices).toHaveLength(1);

    // The failures leave the window; healthy traffic remains.
    now += 60_000;
    for (let index = 0; index < 3; index += 1) window.record(request(now - 1_000));
    await evaluator.evaluate();
    expect(notices.map((notice) => notice.kind)).toEqual(['firing', 'resolved']);
    expect(notices[1].alert).toMatchObject({ id: notices[0].alert.id, state: 'resolved', resolvedAt: now });

    const history = await store.listAlerts({});
    expect(history).toEqual([{ ...notices[0].alert, state: 'resolved', resolvedAt: now }]);
  });

  it('waits out the cooldown before firing again for the same group', async () => {
    evaluator.setRules([rule({ cooldownMs: 300_000 })]);
    window.record(failed(now - 1_000));
    await evaluator.evaluate();
    now += 61_000;
    window.record(request(now - 1_000));
    await evaluator.evaluate();
    expect(notices.map((notice) => notice.kind)).toEqual(['firing', 'resolved']);

    // Failing again two minutes after firing: inside the cooldown.
    now += 60_000;
    window.record(failed(now - 1_000));
    window.record(failed(now - 1_000));
    await evaluator.evaluate();
    expect(notices).toHaveLength(2);

    // Five minutes after the first firing, still failing: fires again, as a new alert.
    now = start + 300_000;
    window.record(failed(now - 1_000));
    await evaluator.evaluate();
    expect(notices.map((notice) => notice.kind)).toEqual(['firing', 'resolved', 'firing']);
    expect(notices[2].alert.id).not.toBe(notices[0].alert.id);
  });

  it('judges rates only over enough requests', async () => {
    evaluator.setRules([rule({ minRequests: 5 })]);
    for (let index = 0; index < 4; index += 1) window.record(failed(now - 1_000));
    await evaluator.evaluate();
    expect(notices).toEqual([]);
    window.record(failed(now - 1_000));
    await evaluator.evaluate();
    expect(notices.map((notice) => notice.kind)).toEqual(['firing']);
  });

  it('alerts per model when the rule names no model, and on one model when it does', async () => {
    evaluator.setRules([rule({ id: 'alr_each', scope: { dimension: 'model' } }), rule({ id: 'alr_one', scope: { dimension: 'model', value: 'gpt-4o' } })]);
    window.record(failed(now - 1_000, { servedModel: 'claude-sonnet' }));
    window.record(request(now - 1_000, { servedModel: 'gpt-4o' }));
    window.record(failed(now - 1_000, { servedModel: 'gpt-4o' }));
    window.record(failed(now - 1_000, { servedModel: 'gpt-4o' }));
    window.record(request(now - 1_000, { servedModel: 'gpt-4o-mini' }));
    await evaluator.evaluate();
    const fired = notices.map((notice) => `${notice.rule.id} ${notice.alert.group}`).sort();
    expect(fired).toEqual(['alr_each model:claude-sonnet', 'alr_each model:gpt-4o', 'alr_one model:gpt-4o']);
  });

  it("sees only its owner's traffic: organisation, workspace, or everyone for a config rule", async () => {
    evaluator.setRules([
      rule({ id: 'alr_org_b', metric: 'request_count', comparison: 'gte', threshold: 2 }, { organisationId: 'org_b' }),
      rule({ id: 'alr_ws_b', metric: 'request_count', comparison: 'gte', threshold: 2 }, { organisationId: 'org_a', workspaceId: 'ws_b' }),
      rule({ id: 'alr_config', metric: 'request_count', comparison: 'gte', threshold: 3 }, {}),
    ]);
    window.record(request(now - 1_000));
    window.record(request(now - 1_000));
    window.record(request(now - 1_000, { organisationId: 'org_b', workspaceId: 'ws_x' }));
    await evaluator.evaluate();
    expect(notices.map((notice) => notice.rule.id)).toEqual(['alr_config']);
  });

  it('fires on spend rate, p95 latency and time to first token', async () => {
    evaluator.setRules([
      rule({ id: 'alr_spend', metric: 'spend_rate', threshold: 1_000_000, windowMs: 600_000 }),
      rule({ id: 'alr_p95', metric: 'latency_p95', threshold: 2_000 }),
      rule({ id: 'alr_ttft', metric: 'ttft_mean', threshold: 500 }),
    ]);
    // $0.20 in 10 minutes is $1.20 an hour.
    window.record(request(now - 1_000, { costMicros: 200_000, latencyMs: 100, timeToFirstTokenMs: 400, stream: true }));
    for (let index = 0; index < 18; index += 1) window.record(request(now - 1_000, { costMicros: 0, latencyMs: 100 }));
    window.record(request(now - 1_000, { costMicros: 0, latencyMs: 9_000, timeToFirstTokenMs: 700, stream: true }));
    await evaluator.evaluate();
    expect(notices.map((notice) => [notice.rule.id, Math.round(notice.alert.value)])).toEqual([
      ['alr_spend', 1_200_000],
      ['alr_ttft', 550],
    ]);
    // One slow request in 20 is the 95th percentile's edge; a second one pushes p95 over.
    window.record(request(now - 1_000, { latencyMs: 9_000 }));
    await evaluator.evaluate();
    expect(notices.map((notice) => notice.rule.id)).toContain('alr_p95');
    expect(notices.at(-1)?.alert.value).toBeGreaterThanOrEqual(9_000);
    expect(notices.at(-1)?.alert.value).toBeLessThan(9_000 * 1.2);
  });

  it('fires on a budget threshold crossing and names the budget', async () => {
    evaluator.setRules([rule({ id: 'alr_budget', metric: 'budget_threshold', comparison: 'gte', threshold: 80 })]);
    window.recordBudgetCrossing({ budgetId: 'bud_1', threshold: 50, atMs: now - 1_000, organisationId: 'org_a', workspaceId: 'ws_a', keyId: 'key-a' });
    await evaluator.evaluate();
    expect(notices).toEqual([]);
    window.recordBudgetCrossing({ budgetId: 'bud_1', threshold: 90, atMs: now - 500, organisationId: 'org_a', workspaceId: 'ws_a', keyId: 'key-a' });
    await evaluator.evaluate();
    expect(notices.map((notice) => notice.alert.value)).toEqual([90]);
    expect(notices[0].alert.message).toContain('budget_threshold 90 % (budget bud_1) is at or above 80 %');
    expect(notices[0].alert.message).toContain('budget bud_1');
  });

  it('keeps a firing alert across a restart instead of firing it again', async () => {
    const rules = [rule({})];
    evaluator.setRules(rules);
    window.record(failed(now - 1_000));
    await evaluator.evaluate();
    expect(notices).toHaveLength(1);

    window = new RequestWindow(10_000);
    evaluator = build();
    evaluator.setRules(rules);
    await evaluator.restore();
    now += 10_000;
    window.record(failed(now - 1_000));
    await evaluator.evaluate();
    expect(notices).toHaveLength(1);
    // Then the restarted evaluator resolves it.
    now += 61_000;
    await evaluator.evaluate();
    expect(notices.map((notice) => notice.kind)).toEqual(['firing', 'resolved']);
    expect(await store.listAlerts({ state: 'firing' })).toEqual([]);
  });

  it('announces an alert once when two replicas sharing the store both see it fire and clear', async () => {
    const rules = [rule({})];
    const otherWindow = new RequestWindow(10_000);
    const otherNotices: AlertNotice[] = [];
    const other = new AlertEvaluator({ window: otherWindow, store, notify: (notice) => otherNotices.push(notice), now: () => now, logger: silentLogger });
    evaluator.setRules(rules);
    other.setRules(rules);
    // Each replica sees its own share of the failures.
    window.record(failed(now - 1_000));
    otherWindow.record(failed(now - 1_000));
    await Promise.all([evaluator.evaluate(), other.evaluate()]);
    expect([...notices, ...otherNotices].map((notice) => notice.kind)).toEqual(['firing']);
    expect(await store.listAlerts({ state: 'firing' })).toHaveLength(1);

    // Still failing on both: nothing new, from either.
    now += 10_000;
    window.record(failed(now - 1_000));
    otherWindow.record(failed(now - 1_000));
    await other.evaluate();
    await evaluator.evaluate();
    expect(notices.length + otherNotices.length).toBe(1);

    // Both clear: one resolution notice, for the alert that fired.
    now += 61_000;
    await other.evaluate();
    await evaluator.evaluate();
    const all = [...notices, ...otherNotices];
    expect(all.map((notice) => notice.kind)).toEqual(['firing', 'resolved']);
    expect(all[1].alert.id).toBe(all[0].alert.id);
    expect(await store.listAlerts({ state: 'firing' })).toEqual([]);
    await other.stop();
  });

  it('resolves the alerts of a deleted rule in the store', async () => {
    evaluator.setRules([rule({})]);
    window.record(failed(now - 1_000));
    await evaluator.evaluate();
    evaluator.setRules([]);
    now += 1_000;
    await evaluator.evaluate();
    const [alert] = await store.listAlerts({});
    expect(alert).toMatchObject({ state: 'resolved', resolvedAt: now });
  });

  it('evaluates on its timer', async () => {
    const pending: Array<{ callback: () => void; delayMs: number }> = [];
    const scheduler: FlushScheduler = { schedule: (callback, delayMs) => (pending.push({ callback, delayMs }), () => pending.splice(0)) };
    evaluator = new AlertEvaluator({ window, store, notify: (notice) => notices.push(notice), now: () => now, logger: silentLogger, scheduler, intervalMs: 15_000 });
    evaluator.setRules([rule({})]);
    evaluator.start();
    expect(pending.map((task) => task.delayMs)).toEqual([15_000]);
    window.record(failed(now - 1_000));
    const evaluated = new Promise<void>((resolve) => {
      const original = pending[0].callback;
      pending[0].callback = () => {
        original();
        void evaluator.evaluate().then(resolve);
      };
    });
    pending.shift()?.callback();
    await evaluated;
    expect(notices.map((notice) => notice.kind)).toEqual(['firing']);
    // Re-armed for the next round.
    expect(pending.map((task) => task.delayMs)).toEqual([15_000]);
  });
});
