import { describe, expect, it } from 'vitest';
import { backoffDelayMs, decideRetryAfter } from './backoff.js';
import { defaultRetryPolicy } from './deployment.js';

describe('backoffDelayMs', () => {
  const policy = { ...defaultRetryPolicy, jitter: 0 };

  it('doubles from the initial delay and stops at the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((retry) => backoffDelayMs(policy, retry, () => 0.5))).toEqual([250, 500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('takes off at most the jitter fraction', () => {
    const jittered = { ...defaultRetryPolicy, jitter: 0.25 };
    expect(backoffDelayMs(jittered, 3, () => 0)).toBe(1000);
    expect(backoffDelayMs(jittered, 3, () => 0.999999)).toBe(750);
    expect(backoffDelayMs(jittered, 3, () => 0.5)).toBe(875);
  });
});

describe('decideRetryAfter', () => {
  it('waits for a retry-after within the limit and refuses a longer one', () => {
    expect(decideRetryAfter(defaultRetryPolicy, undefined)).toEqual({ kind: 'none' });
    expect(decideRetryAfter(defaultRetryPolicy, 1.5)).toEqual({ kind: 'wait', ms: 1500 });
    expect(decideRetryAfter(defaultRetryPolicy, 60)).toEqual({ kind: 'wait', ms: 60_000 });
    expect(decideRetryAfter(defaultRetryPolicy, 61)).toEqual({ kind: 'too-long', ms: 61_000 });
    expect(decideRetryAfter(defaultRetryPolicy, -1)).toEqual({ kind: 'none' });
  });
});
