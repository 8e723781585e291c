import { describe, expect, it } from 'vitest';
import { describeChangeBusContract } from './change-bus-contract.js';
import { MemoryChangeBus, MemoryChangeNetwork } from './memory-change-bus.js';

describeChangeBusContract('memory', async () => {
  const network = new MemoryChangeNetwork();
  const first = new MemoryChangeBus({ network });
  const second = new MemoryChangeBus({ network });
  return { first, second, dispose: async () => void (await Promise.all([first.close(), second.close()])) };
});

describe('MemoryChangeBus', () => {
  it('has run every listener when publish resolves, so the next request already sees the change', async () => {
    const bus = new MemoryChangeBus();
    const seen: string[] = [];
    bus.subscribe('virtual-key', (_topic, payload) => seen.push(payload.id));
    const publishing = bus.publish('virtual-key', { id: 'key_1' });
    expect(seen).toEqual(['key_1']);
    await publishing;
  });

  it('reports a listener that throws with its topic', async () => {
    const reported: Array<{ message: string; topic: string }> = [];
    const bus = new MemoryChangeBus({ onListenerError: (error, topic) => reported.push({ message: (error as Error).message, topic }) });
    bus.subscribe('workspace', () => {
      throw new Error('listener bug');
    });
    await bus.publish('workspace', { id: 'ws_a' });
    expect(reported).toEqual([{ message: 'listener bug', topic: 'workspace' }]);
  });

  it('keeps buses on separate networks apart', async () => {
    const first = new MemoryChangeBus();
    const second = new MemoryChangeBus();
    const seen: string[] = [];
    second.subscribe('workspace', (_topic, payload) => seen.push(payload.id));
    await first.publish('workspace', { id: 'ws_a' });
    expect(seen).toEqual([]);
  });

  it('does not let a listener change what the next listener receives', async () => {
    const bus = new MemoryChangeBus();
    const seen: string[] = [];
    bus.subscribe('workspace', (_topic, payload) => {
      payload.id = 'edited';
    });
    bus.subscribe('workspace', (_topic, payload) => seen.push(payload.id));
    await bus.publish('workspace', { id: 'ws_a' });
    expect(seen).toEqual(['ws_a']);
  });
});
