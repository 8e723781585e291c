import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from './memory-rate-limiter.js';
import { describeRateLimiterContract, limitRule } from './rate-limiter-contract.js';

describeRateLimiterContract('memory', async () => ({ limiter: new MemoryRateLimiter() }));

describe('MemoryRateLimiter', () => {
  const start = Date.UTC(2026, 10, 20, 12);

  it('forgets counters once they are back to their fresh state, and expired leases', async () => {
    const limiter = new MemoryRateLimiter({ sweepIntervalMs: 60_000 });
    const bucket = limitRule({ algorithm: 'token-bucket', limit: 10, windowMs: 10_000 });
    const window = limitRule({ algorithm: 'sliding-window', limit: 10, windowMs: 30_000 });
    for (let index = 0; index < 1_000; index += 1) {
      await limiter.consume([{ rule: { ...window, counter: `key:${index}` }, cost: 1 }], start);
    }
    await limiter.consume([{ rule: bucket, cost: 3 }, { rule: window, cost: 1 }], start);
    await limiter.acquire('slots', 5, 20_000, start);
    expect(limiter.trackedCount).toBe(1_003);

    // A minute later every window is empty, the bucket is full and the lease has expired.
    await limiter.consume([], start + 60_000);
    expect(limiter.trackedCount).toBe(0);
  });

  it('keeps a counter that is still in use through a sweep', async () => {
    const limiter = new MemoryRateLimiter();
    const rule = limitRule({ limit: 2, windowMs: 86_400_000 });
    await limiter.consume([{ rule, cost: 2 }], start);
    limiter.sweep(start + 3_600_000);
    expect(limiter.trackedCount).toBe(1);
    expect((await limiter.consume([{ rule, cost: 1 }], start + 3_600_000)).allowed).toBe(false);
  });

  it('does not store counters that only refused or only checked', async () => {
    const limiter = new MemoryRateLimiter();
    await limiter.consume([{ rule: limitRule({ limit: 1 }), cost: 2 }], start);
    await limiter.consume([{ rule: limitRule({ limit: 1 }), cost: 0 }], start);
    expect(limiter.trackedCount).toBe(0);
  });

  it('keeps one log entry order when a caller clock steps back', async () => {
    const limiter = new MemoryRateLimiter();
    const rule = limitRule({ limit: 2, windowMs: 1_000 });
    await limiter.consume([{ rule, cost: 1 }], start + 500);
    // Stamped at start + 500 rather than start: it leaves the window with the entry before it.
    await limiter.consume([{ rule, cost: 1 }], start);
    expect((await limiter.consume([{ rule, cost: 1 }], start + 1_499)).allowed).toBe(false);
    const after = await limiter.consume([{ rule, cost: 2 }], start + 1_500);
    expect(after.allowed).toBe(true);
  });

  it('refuses checks that make no sense as programming errors', async () => {
    const limiter = new MemoryRateLimiter();
    await expect(limiter.consume([{ rule: limitRule(), cost: -1 }], start)).rejects.toThrow(RangeError);
    await expect(limiter.consume([{ rule: limitRule({ windowMs: 0 }), cost: 1 }], start)).rejects.toThrow(RangeError);
  });
});
