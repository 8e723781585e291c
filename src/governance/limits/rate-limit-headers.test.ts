import { describe, expect, it } from 'vitest';
import { formatResetDuration, rateLimitHeaders } from './rate-limit-headers.js';

describe('rateLimitHeaders', () => {
  it('writes limit, remaining and reset for each rule name, as OpenAI does', () => {
    expect(
      rateLimitHeaders([
        { counter: 'key:k:requests:60000:sliding-window', name: 'requests', limit: 60, remaining: 59, resetMs: 0 },
        { counter: 'key:k:tokens:60000:sliding-window', name: 'tokens', limit: 150_000, remaining: 0, resetMs: 360_000 },
      ]),
    ).toEqual({
      'x-ratelimit-limit-requests': '60',
      'x-ratelimit-remaining-requests': '59',
      'x-ratelimit-reset-requests': '0s',
      'x-ratelimit-limit-tokens': '150000',
      'x-ratelimit-remaining-tokens': '0',
      'x-ratelimit-reset-tokens': '6m0s',
    });
  });

  it('reports the tightest of several rules sharing a name', () => {
    const headers = rateLimitHeaders([
      { counter: 'key:k:requests:60000', name: 'requests', limit: 60, remaining: 40, resetMs: 0 },
      { counter: 'team:t:requests:60000', name: 'requests', limit: 1_000, remaining: 3, resetMs: 0 },
      { counter: 'organisation:o:requests:1000', name: 'requests', limit: 10, remaining: 3, resetMs: 20 },
    ]);
    expect(headers).toEqual({
      'x-ratelimit-limit-requests': '10',
      'x-ratelimit-remaining-requests': '3',
      'x-ratelimit-reset-requests': '20ms',
    });
  });

  it('writes nothing when no rule applied', () => {
    expect(rateLimitHeaders([])).toEqual({});
  });
});

describe('formatResetDuration', () => {
  it('formats like Go durations, to the millisecond', () => {
    expect([0, 0.2, 20, 999, 1_000, 1_500, 2_880, 59_999, 60_000, 360_000, 92_468, 3_600_000, 3_723_250, 86_400_000].map(formatResetDuration)).toEqual([
      '0s',
      '1ms',
      '20ms',
      '999ms',
      '1s',
      '1.5s',
      '2.88s',
      '59.999s',
      '1m0s',
      '6m0s',
      '1m32.468s',
      '1h0m0s',
      '1h2m3.25s',
      '24h0m0s',
    ]);
  });
});
