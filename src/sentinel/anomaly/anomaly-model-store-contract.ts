import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnomalyModelStore, AnomalyModelVersion } from './anomaly-model-store.js';
import { detectorSettings } from './detector-settings.js';
import { flatBaseline } from './seasonal-baseline.js';

/** A fresh store and how to dispose of it. */
export interface AnomalyModelStoreFixture {
  store: AnomalyModelStore;
  dispose?: () => Promise<void>;
}

const created = Date.UTC(2026, 10, 20, 9);

function version(number: number, status: AnomalyModelVersion['status'], overrides: Partial<AnomalyModelVersion> = {}): AnomalyModelVersion {
  return {
    id: `amv_${number}`,
    version: number,
    status,
    createdAt: created + number,
    trainedFrom: created - 14 * 86_400_000,
    trainedUntil: created,
    seriesCount: 1,
    validation: { heldOutFrom: created - 86_400_000, heldOutUntil: created, falseAlarms: status === 'rejected' ? 3 : 0, allowedFalseAlarms: 0.5, accepted: status !== 'rejected', ...(status === 'rejected' ? { reason: 'too many alarms' } : {}) },
    ...(status === 'active' ? { activatedAt: created + number } : {}),
    model: { settings: detectorSettings(), trainedFrom: created - 14 * 86_400_000, trainedUntil: created, series: { 'latency|deployment|dep_a': flatBaseline(800 + number, 40.5) } },
    ...overrides,
  };
}

/** The contract of {@link AnomalyModelStore}, run on memory, SQLite and PostgreSQL. */
export function describeAnomalyModelStoreContract(name: string, create: () => Promise<AnomalyModelStoreFixture>): void {
  describe(`AnomalyModelStore contract: ${name}`, () => {
    let fixture: AnomalyModelStoreFixture;
    let store: AnomalyModelStore;

    beforeEach(async () => {
      fixture = await create();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.dispose?.();
    });

    it('round-trips a version with its model body and validation', async () => {
      const stored = version(1, 'active');
      await store.save(stored);
      expect(await store.get('amv_1')).toEqual(stored);
      expect(await store.active()).toEqual(stored);
      expect(await store.get('amv_unknown')).toBeUndefined();
    });

    it('has no active version and version 0 when empty', async () => {
      expect(await store.active()).toBeUndefined();
      expect(await store.latestVersion()).toBe(0);
      expect(await store.list()).toEqual([]);
    });

    it('keeps one active version: saving an active one retires the previous, a rejected one changes nothing', async () => {
      await store.save(version(1, 'active'));
      await store.save(version(2, 'active'));
      await store.save(version(3, 'rejected'));
      expect((await store.active())?.id).toBe('amv_2');
      expect((await store.get('amv_1'))?.status).toBe('inactive');
      expect(await store.latestVersion()).toBe(3);
      const listed = await store.list();
      expect(listed.map((each) => [each.id, each.status])).toEqual([['amv_3', 'rejected'], ['amv_2', 'active'], ['amv_1', 'inactive']]);
      expect(listed[0]).not.toHaveProperty('model');
      expect(listed[0].validation).toMatchObject({ accepted: false, reason: 'too many alarms' });
      expect((await store.list({ limit: 1 })).map((each) => each.id)).toEqual(['amv_3']);
    });

    it('rolls back to an earlier version, never to a rejected or unknown one', async () => {
      await store.save(version(1, 'active'));
      await store.save(version(2, 'active'));
      await store.save(version(3, 'rejected'));
      expect(await store.activate('amv_1', created + 100)).toBe(true);
      expect(await store.active()).toMatchObject({ id: 'amv_1', status: 'active', activatedAt: created + 100 });
      expect((await store.get('amv_2'))?.status).toBe('inactive');
      expect(await store.activate('amv_3', created + 200)).toBe(false);
      expect(await store.activate('amv_unknown', created + 200)).toBe(false);
      expect((await store.active())?.id).toBe('amv_1');
    });
  });
}
