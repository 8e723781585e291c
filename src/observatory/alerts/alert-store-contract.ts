import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/index.js';
import { alertRuleFieldsSchema, type Alert, type AlertRule } from './alert-rule.js';
import type { AlertStore } from './alert-store.js';
import { SqlAlertStore } from './sql-alert-store.js';

/** A fresh, migrated database and how to dispose of it. */
export interface AlertStoreFixture {
  database: Database;
  dispose?: () => Promise<void>;
}

const created = Date.UTC(2026, 10, 20, 9);

function rule(id: string, organisationId: string | undefined, overrides: Record<string, unknown> = {}): AlertRule {
  const fields = alertRuleFieldsSchema.parse({ name: `rule ${id}`, metric: 'error_rate', threshold: 0.5, ...overrides });
  return { ...fields, id, ...(organisationId === undefined ? {} : { organisationId }), createdAt: created, updatedAt: created };
}

function alert(id: string, firedAt: number, overrides: Partial<Alert> = {}): Alert {
  return { id, ruleId: 'alr_1', ruleName: 'errors', organisationId: 'org_a', group: 'all', severity: 'critical', state: 'firing', value: 0.75, threshold: 0.5, message: 'error rate 75 %', firedAt, ...overrides };
}

/** The contract of {@link AlertStore}, run on SQLite and PostgreSQL. */
export function describeAlertStoreContract(name: string, create: () => Promise<AlertStoreFixture>): void {
  describe(`AlertStore contract: ${name}`, () => {
    let fixture: AlertStoreFixture;
    let store: AlertStore;

    beforeEach(async () => {
      fixture = await create();
      store = new SqlAlertStore(fixture.database);
    });
    afterEach(async () => {
      await fixture.dispose?.();
    });

    it('round-trips a rule with its scope, channels and owner', async () => {
      const stored = rule('alr_1', 'org_a', { scope: { dimension: 'model', value: 'gpt-4o' }, channels: ['ops'], severity: 'critical', cooldownMs: 60_000 });
      const withWorkspace = { ...stored, workspaceId: 'ws_1' };
      await store.createRule(withWorkspace);
      expect(await store.getRule('alr_1')).toEqual(withWorkspace);
      expect(await store.getRule('alr_unknown')).toBeUndefined();
    });

    it('lists rules by organisation, ordered by id', async () => {
      await store.createRule(rule('alr_2', 'org_a'));
      await store.createRule(rule('alr_1', 'org_a'));
      await store.createRule(rule('alr_3', 'org_b'));
      await store.createRule(rule('alr_0', undefined));
      expect((await store.listRules()).map((each) => each.id)).toEqual(['alr_0', 'alr_1', 'alr_2', 'alr_3']);
      expect((await store.listRules({ organisationId: 'org_a' })).map((each) => each.id)).toEqual(['alr_1', 'alr_2']);
      expect(await store.getRule('alr_0')).not.toHaveProperty('organisationId');
    });

    it('updates only the given fields and deletes', async () => {
      await store.createRule(rule('alr_1', 'org_a'));
      const updated = await store.updateRule('alr_1', { threshold: 0.9, enabled: false }, created + 1000);
      expect(updated).toMatchObject({ threshold: 0.9, enabled: false, metric: 'error_rate', updatedAt: created + 1000, createdAt: created });
      expect(await store.getRule('alr_1')).toEqual(updated);
      expect(await store.updateRule('alr_unknown', { threshold: 1 }, created)).toBeUndefined();
      expect(await store.deleteRule('alr_1')).toBe(true);
      expect(await store.deleteRule('alr_1')).toBe(false);
      expect(await store.getRule('alr_1')).toBeUndefined();
    });

    it('keeps alerts, resolves a firing one once, and lists newest first with filters', async () => {
      await store.insertAlert(alert('a1', created));
      await store.insertAlert(alert('a2', created + 10, { ruleId: 'alr_2', organisationId: undefined, group: 'model:gpt-4o', value: 1234.5 }));
      await store.insertAlert(alert('a3', created + 20, { group: 'model:gpt-4o-mini' }));
      expect(await store.resolveAlert('a1', created + 30)).toBe(true);
      expect(await store.resolveAlert('a1', created + 40)).toBe(false);
      expect(await store.resolveAlert('unknown', created + 40)).toBe(false);

      const all = await store.listAlerts({});
      expect(all.map((each) => each.id)).toEqual(['a3', 'a2', 'a1']);
      expect(all[2]).toEqual({ ...alert('a1', created), state: 'resolved', resolvedAt: created + 30 });
      expect(all[1]).toEqual({ ...alert('a2', created + 10, { ruleId: 'alr_2', group: 'model:gpt-4o', value: 1234.5 }), organisationId: undefined });
      expect(all[1]).not.toHaveProperty('organisationId');
      expect((await store.listAlerts({ state: 'firing' })).map((each) => each.id)).toEqual(['a3', 'a2']);
      expect((await store.listAlerts({ ruleId: 'alr_2' })).map((each) => each.id)).toEqual(['a2']);
      expect((await store.listAlerts({ organisationId: 'org_a' })).map((each) => each.id)).toEqual(['a3', 'a1']);
      expect((await store.listAlerts({ since: created + 10 })).map((each) => each.id)).toEqual(['a3', 'a2']);
    });

    it('keeps one firing alert per rule and group: a second replica gets the first one back, and it is not stored', async () => {
      expect(await store.insertAlert(alert('c1', created))).toEqual(alert('c1', created));
      expect(await store.insertAlert(alert('c2', created + 5))).toEqual(alert('c1', created));
      // Another group of the same rule, and the same group of another rule, fire on their own.
      expect((await store.insertAlert(alert('c3', created + 6, { group: 'model:gpt-4o' }))).id).toBe('c3');
      expect((await store.insertAlert(alert('c4', created + 7, { ruleId: 'alr_2' }))).id).toBe('c4');
      expect((await store.listAlerts({ ruleId: 'alr_1', group: 'all' })).map((each) => each.id)).toEqual(['c1']);
      // Once resolved, the rule and group may fire again; resolving is reported to one caller only.
      expect(await store.resolveAlert('c1', created + 10)).toBe(true);
      expect(await store.resolveAlert('c1', created + 11)).toBe(false);
      expect((await store.insertAlert(alert('c5', created + 20))).id).toBe('c5');
      expect((await store.listAlerts({ ruleId: 'alr_1', group: 'all' })).map((each) => [each.id, each.state])).toEqual([['c5', 'firing'], ['c1', 'resolved']]);
    });

    it('pages with a cursor, ties on the firing time broken by id', async () => {
      for (const id of ['b1', 'b2', 'b3', 'b4']) await store.insertAlert(alert(id, id === 'b4' ? created + 5 : created, { group: `key:${id}` }));
      const first = await store.listAlerts({ limit: 2 });
      expect(first.map((each) => each.id)).toEqual(['b4', 'b3']);
      const second = await store.listAlerts({ limit: 2, afterId: 'b3' });
      expect(second.map((each) => each.id)).toEqual(['b2', 'b1']);
      expect(await store.listAlerts({ afterId: 'unknown' })).toEqual([]);
    });
  });
}
