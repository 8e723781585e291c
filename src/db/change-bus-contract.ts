import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resyncTopic, type ChangeBus, type ChangePayload } from './change-bus.js';

/** Two buses on one transport, standing for two replicas, and how to release them. */
export interface ChangeBusFixture {
  first: ChangeBus;
  second: ChangeBus;
  dispose(): Promise<void>;
}

/** The bound the contract holds every implementation to; the doc comments state what was measured. */
export const deliveryBoundMs = 2_000;

/** A delivered change, as a listener saw it. */
export interface ReceivedChange {
  topic: string;
  payload: ChangePayload;
}

/** Collects what a listener receives; `until` waits (event-driven, bounded) for a number of messages. */
export class ChangeRecorder {
  readonly received: ReceivedChange[] = [];
  #waiters: Array<() => void> = [];

  readonly listener = (topic: string, payload: ChangePayload): void => {
    this.received.push({ topic, payload });
    for (const wake of this.#waiters) wake();
  };

  /** Resolves once `count` messages have arrived; rejects after the delivery bound. */
  until(count: number, timeoutMs = deliveryBoundMs): Promise<ReceivedChange[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.received.length < count) return false;
        clearTimeout(timer);
        this.#waiters = this.#waiters.filter((waiter) => waiter !== check);
        resolve(this.received);
        return true;
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((waiter) => waiter !== check);
        reject(new Error(`expected ${count} change(s) within ${timeoutMs} ms, got ${this.received.length}`));
      }, timeoutMs);
      if (!check()) this.#waiters.push(check);
    });
  }
}

/**
 * The suite every {@link ChangeBus} implementation passes (memory in `memory-change-bus.test.ts`, Redis in
 * `redis-change-bus.services.test.ts`). Absence of a message is checked by publishing a later marker from the
 * same publisher and waiting for it: delivery is in order, so anything unwanted would have arrived first.
 */
export function describeChangeBusContract(name: string, create: () => Promise<ChangeBusFixture>): void {
  describe(`ChangeBus contract: ${name}`, () => {
    let fixture: ChangeBusFixture;
    beforeEach(async () => {
      fixture = await create();
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    it('delivers a change to the subscribers of its topic on every replica, the publisher included', async () => {
      const local = new ChangeRecorder();
      const remote = new ChangeRecorder();
      fixture.first.subscribe('virtual-key', local.listener);
      fixture.second.subscribe('virtual-key', remote.listener);
      await fixture.first.publish('virtual-key', { id: 'key_1', workspaceId: 'ws_a' });
      const expected = [{ topic: 'virtual-key', payload: { id: 'key_1', workspaceId: 'ws_a' } }];
      expect(await local.until(1)).toEqual(expected);
      expect(await remote.until(1)).toEqual(expected);
    });

    it('does not deliver other topics to a topic subscriber', async () => {
      const recorder = new ChangeRecorder();
      fixture.second.subscribe('workspace', recorder.listener);
      await fixture.first.publish('virtual-key', { id: 'key_1' });
      await fixture.first.publish('workspace', { id: 'marker' });
      expect(await recorder.until(1)).toEqual([{ topic: 'workspace', payload: { id: 'marker' } }]);
    });

    it('delivers every topic to a subscriber of *', async () => {
      const recorder = new ChangeRecorder();
      fixture.second.subscribe(resyncTopic, recorder.listener);
      await fixture.first.publish('virtual-key', { id: 'key_1' });
      await fixture.first.publish('workspace', { id: 'ws_a' });
      expect((await recorder.until(2)).map((change) => change.topic)).toEqual(['virtual-key', 'workspace']);
    });

    it('keeps one publisher\'s order', async () => {
      const recorder = new ChangeRecorder();
      fixture.second.subscribe('virtual-key', recorder.listener);
      const ids = Array.from({ length: 50 }, (_, index) => `key_${index}`);
      await Promise.all(ids.map((id) => fixture.first.publish('virtual-key', { id })));
      expect((await recorder.until(50)).map((change) => change.payload.id)).toEqual(ids);
    });

    it('stops delivering to a listener once it unsubscribed, and only to that one', async () => {
      const gone = new ChangeRecorder();
      const kept = new ChangeRecorder();
      const unsubscribe = fixture.second.subscribe('virtual-key', gone.listener);
      fixture.second.subscribe('virtual-key', kept.listener);
      await fixture.first.publish('virtual-key', { id: 'before' });
      await gone.until(1);
      unsubscribe();
      unsubscribe();
      await fixture.first.publish('virtual-key', { id: 'after' });
      expect((await kept.until(2)).map((change) => change.payload.id)).toEqual(['before', 'after']);
      expect(gone.received.map((change) => change.payload.id)).toEqual(['before']);
    });

    it('gives the same listener subscribed twice two independent subscriptions', async () => {
      const recorder = new ChangeRecorder();
      const unsubscribeFirst = fixture.second.subscribe('virtual-key', recorder.listener);
      fixture.second.subscribe('virtual-key', recorder.listener);
      unsubscribeFirst();
      await fixture.first.publish('virtual-key', { id: 'key_1' });
      await fixture.first.publish('virtual-key', { id: 'marker' });
      expect((await recorder.until(2)).map((change) => change.payload.id)).toEqual(['key_1', 'marker']);
    });

    it('keeps delivering to the other listeners when one throws', async () => {
      const recorder = new ChangeRecorder();
      fixture.second.subscribe('virtual-key', () => {
        throw new Error('listener bug');
      });
      fixture.second.subscribe('virtual-key', recorder.listener);
      await fixture.first.publish('virtual-key', { id: 'key_1' });
      await fixture.first.publish('virtual-key', { id: 'key_2' });
      expect((await recorder.until(2)).map((change) => change.payload.id)).toEqual(['key_1', 'key_2']);
    });

    it('refuses a malformed topic or payload before anything is sent', async () => {
      const recorder = new ChangeRecorder();
      fixture.second.subscribe(resyncTopic, recorder.listener);
      await expect(fixture.first.publish('Bad Topic', { id: 'x' })).rejects.toThrow(/topic/);
      await expect(fixture.first.publish(resyncTopic, { id: 'x' })).rejects.toThrow(/topic/);
      await expect(fixture.first.publish('virtual-key', { id: '' })).rejects.toThrow(/id/);
      await expect(fixture.first.publish('virtual-key', { id: 'x', count: 3 as unknown as string })).rejects.toThrow(/count/);
      expect(() => fixture.first.subscribe('', recorder.listener)).toThrow(/topic/);
      await fixture.first.publish('virtual-key', { id: 'marker' });
      expect((await recorder.until(1)).map((change) => change.payload.id)).toEqual(['marker']);
    });

    it('refuses to publish once closed and delivers nothing to a closed bus', async () => {
      const recorder = new ChangeRecorder();
      const survivor = new ChangeRecorder();
      fixture.second.subscribe('virtual-key', recorder.listener);
      fixture.first.subscribe('virtual-key', survivor.listener);
      await fixture.second.close();
      await expect(fixture.second.publish('virtual-key', { id: 'x' })).rejects.toThrow(/closed/);
      await fixture.first.publish('virtual-key', { id: 'marker' });
      await survivor.until(1);
      expect(recorder.received).toEqual([]);
    });

    it(`delivers to another replica within ${deliveryBoundMs} ms`, async () => {
      const recorder = new ChangeRecorder();
      fixture.second.subscribe('virtual-key', recorder.listener);
      const latencies: number[] = [];
      for (let index = 0; index < 200; index += 1) {
        const started = performance.now();
        await fixture.first.publish('virtual-key', { id: `key_${index}` });
        await recorder.until(index + 1);
        latencies.push(performance.now() - started);
      }
      latencies.sort((left, right) => left - right);
      const percentile = (fraction: number) => latencies[Math.min(latencies.length - 1, Math.floor(fraction * latencies.length))];
      if (process.env.SWITCHYARD_REPORT_LATENCY) console.info(`${name} delivery: p50 ${percentile(0.5).toFixed(2)} ms, p99 ${percentile(0.99).toFixed(2)} ms, max ${latencies.at(-1)?.toFixed(2)} ms`);
      expect(latencies.at(-1)).toBeLessThan(deliveryBoundMs);
    });
  });
}
