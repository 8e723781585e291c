import { describe, expect, it } from 'vitest';
import type { BucketedHistory } from './anomaly-model.js';
import { detectorSettings } from './detector-settings.js';
import { MemoryAnomalyModelStore } from './memory-anomaly-model-store.js';
import { AnomalyModelTrainer } from './model-trainer.js';

const bucketMs = 60_000;
const dayMs = 86_400_000;
const monday = Date.UTC(2026, 0, 5);
const settings = detectorSettings({ bucketMs });

/** Request counts of one key: 40 a minute by day, 10 by night, a little deterministic wobble. */
function history(from: number, days: number, burstAt?: number): BucketedHistory {
  const buckets = [];
  for (let time = from; time < from + days * dayMs; time += bucketMs) {
    const hour = (time % dayMs) / 3_600_000;
    const normal = (hour >= 8 && hour < 18 ? 40 : 10) + ((time / bucketMs) % 5) - 2;
    const value = burstAt !== undefined && time >= burstAt && time < burstAt + 30 * bucketMs ? normal * 8 : normal;
    buckets.push({ bucketStart: time, points: [{ series: 'request_rate|key|key_a', bucketStart: time, value, samples: value }] });
  }
  return buckets;
}

function trainerOn(store: MemoryAnomalyModelStore, activated: number[]) {
  let now = monday + 14 * dayMs;
  const trainer = new AnomalyModelTrainer({ store, history: { bucketsBetween: async (from, until) => history(from, (until - from) / dayMs) }, settings, now: () => now, onActivated: (version) => activated.push(version.version) });
  return { trainer, advance: (ms: number) => (now += ms) };
}

describe('AnomalyModelTrainer', () => {
  it('trains a version on history, validates it on the held-out day, and makes it active', async () => {
    const store = new MemoryAnomalyModelStore();
    const activated: number[] = [];
    const { trainer } = trainerOn(store, activated);
    const version = await trainer.retrain();
    expect(version).toMatchObject({ version: 1, status: 'active', seriesCount: 1, trainedFrom: monday, trainedUntil: monday + 14 * dayMs });
    expect(version.validation).toMatchObject({ heldOutFrom: monday + 13 * dayMs, heldOutUntil: monday + 14 * dayMs, falseAlarms: 0, accepted: true });
    expect(activated).toEqual([1]);
    expect((await store.active())?.id).toBe(version.id);
  });

  it('rejects a candidate that raises more alarms on the held-out window than allowed, keeping the active version', async () => {
    const store = new MemoryAnomalyModelStore();
    const activated: number[] = [];
    const { trainer } = trainerOn(store, activated);
    const first = await trainer.retrain();
    // A held-out day with a burst in it (history that was not clean, and not known to be an incident).
    const until = monday + 15 * dayMs;
    const candidate = await trainer.trainOn(history(monday + dayMs, 14, until - 6 * 3_600_000), { from: monday + dayMs, heldOutFrom: until - dayMs, until });
    expect(candidate.status).toBe('rejected');
    expect(candidate.validation).toMatchObject({ accepted: false, falseAlarms: 1, previousFalseAlarms: 1 });
    expect(candidate.validation.reason).toContain('raised 1 alarm(s) on the held-out window');
    expect((await store.active())?.id).toBe(first.id);
    expect(activated).toEqual([1]);
  });

  it('leaves known incidents out of the validation window', async () => {
    const store = new MemoryAnomalyModelStore();
    const until = monday + 15 * dayMs;
    const burstAt = until - 6 * 3_600_000;
    const trainer = new AnomalyModelTrainer({ store, history: { bucketsBetween: async () => [] }, settings, now: () => until, excludedWindows: () => [{ from: burstAt - 10 * bucketMs, until: burstAt + 60 * bucketMs }] });
    const version = await trainer.trainOn(history(monday + dayMs, 14, burstAt), { from: monday + dayMs, heldOutFrom: until - dayMs, until });
    expect(version.status).toBe('active');
  });

  it('rolls back to the previous accepted version, or to a named one, never to a rejected one', async () => {
    const store = new MemoryAnomalyModelStore();
    const activated: number[] = [];
    const { trainer, advance } = trainerOn(store, activated);
    const first = await trainer.retrain();
    advance(dayMs);
    const second = await trainer.retrain();
    expect((await store.active())?.id).toBe(second.id);
    const rolledBack = await trainer.rollback();
    expect(rolledBack).toMatchObject({ id: first.id, status: 'active' });
    expect(activated).toEqual([1, 2, 1]);
    await expect(trainer.rollback()).rejects.toMatchObject({ code: 'not_found' });
    expect((await trainer.rollback(second.id)).id).toBe(second.id);
    await store.save({ ...second, id: 'amv_bad', version: 3, status: 'rejected' });
    await expect(trainer.rollback('amv_bad')).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(trainer.rollback('amv_unknown')).rejects.toMatchObject({ code: 'not_found' });
  });
});
