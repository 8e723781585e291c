import { describe, expect, it } from 'vitest';
import { upstreamStatusError } from '../../kit/upstream-status-error.js';
import { GatewayError } from '../../spec/index.js';
import { attemptsOf } from './route-types.js';
import { deployment, group, makeRouter, scripted } from './test-support/router-fixtures.js';

function statusError(status: number, headers: Record<string, string> = {}): GatewayError {
  return upstreamStatusError('upstream', status, headers, { message: `status ${status}` });
}

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected a rejection');
}

describe('Router retries', () => {
  const retryable: Array<[string, () => GatewayError]> = [
    ['429', () => statusError(429)],
    ['500', () => statusError(500)],
    ['503', () => statusError(503)],
    ['529', () => statusError(529)],
    ['a timeout', () => new GatewayError('upstream_timeout', 'timed out')],
    ['a connection error', () => new GatewayError('upstream_connection_error', 'reset')],
  ];
  for (const [name, make] of retryable) {
    it(`retries ${name} on another deployment of the group`, async () => {
      const { router, clock } = makeRouter([group('m', [deployment('a'), deployment('b')])]);
      const { attempt, calls } = scripted({ a: [make()] });
      const outcome = await router.route('m', attempt);
      expect(outcome.value).toBe('ok:b');
      expect(calls).toEqual(['a', 'b']);
      // Another deployment is fresh: no reason to wait.
      expect(clock.sleeps).toEqual([]);
      expect(outcome.attempts.map((record) => [record.deploymentId, record.outcome, record.reason])).toEqual([
        ['a', 'error', undefined],
        ['b', 'success', 'retry'],
      ]);
      expect(outcome.attempts[0].errorCode).toBe(make().code);
    });
  }

  const final: Array<[string, number, string]> = [
    ['400', 400, 'upstream_rejected'],
    ['401', 401, 'upstream_authentication_failed'],
    ['404', 404, 'model_not_found'],
  ];
  for (const [name, status, code] of final) {
    it(`does not retry or fall back on ${name}`, async () => {
      const { router } = makeRouter([group('m', [deployment('a'), deployment('b')], { fallbacks: ['f'] }), group('f', [deployment('c')])]);
      const { attempt, calls } = scripted({ a: [statusError(status)] });
      const error = await rejection(router.route('m', attempt));
      expect(error.code).toBe(code);
      expect(calls).toEqual(['a']);
      expect(attemptsOf(error)?.map((record) => record.outcome)).toEqual(['error']);
      expect(router.snapshot().find((line) => line.deploymentId === 'a')?.consecutiveFailures).toBe(0);
    });
  }

  it('retries the same deployment after an exponential backoff when it is the only one', async () => {
    const { router, clock } = makeRouter([group('m', [deployment('a')])], { retry: { maxRetries: 3 } });
    const { attempt, calls } = scripted({ a: [statusError(500), statusError(502), statusError(503)] });
    const outcome = await router.route('m', attempt);
    expect(outcome.value).toBe('ok:a');
    expect(calls).toEqual(['a', 'a', 'a', 'a']);
    expect(clock.sleeps).toEqual([250, 500, 1000]);
    expect(outcome.attempts.map((record) => record.reason)).toEqual([undefined, 'retry', 'retry', 'retry']);
  });

  it('applies jitter to the backoff', async () => {
    const { router, clock } = makeRouter([group('m', [deployment('a')])], { retry: { jitter: 0.25, maxRetries: 1 } });
    const { attempt } = scripted({ a: [statusError(500)] });
    await router.route('m', attempt);
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThan(250 * 0.75 - 1);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(250);
  });

  it('stops after maxRetries in a group and throws the last error with every attempt attached', async () => {
    const { router, clock } = makeRouter([group('m', [deployment('a')])], { retry: { maxRetries: 2 } });
    const { attempt, calls } = scripted({ a: [statusError(500), statusError(500), statusError(503), statusError(500)] });
    const error = await rejection(router.route('m', attempt));
    expect(error.code).toBe('upstream_unavailable');
    expect(error.upstreamStatus).toBe(503);
    expect(calls).toHaveLength(3);
    expect(clock.sleeps).toEqual([250, 500]);
    expect(attemptsOf(error)?.map((record) => record.upstreamStatus)).toEqual([500, 500, 503]);
  });

  it('counts a switch to another deployment as one of the retries', async () => {
    const { router } = makeRouter([group('m', [deployment('a'), deployment('b'), deployment('c'), deployment('d')])], { retry: { maxRetries: 1 } });
    const { attempt, calls } = scripted({ a: [statusError(500)], b: [statusError(500)], c: [statusError(500)], d: [statusError(500)] });
    await rejection(router.route('m', attempt));
    expect(calls).toHaveLength(2);
    expect(new Set(calls).size).toBe(2);
  });

  it('waits for the retry-after the provider asked for', async () => {
    const { router, clock } = makeRouter([group('m', [deployment('a')])]);
    const { attempt } = scripted({ a: [statusError(429, { 'retry-after': '7' })] });
    const outcome = await router.route('m', attempt);
    expect(outcome.value).toBe('ok:a');
    expect(clock.sleeps).toEqual([7000]);
    expect(outcome.attempts[0]).toMatchObject({ errorCode: 'upstream_rate_limited', upstreamStatus: 429, retryAfterSeconds: 7 });
  });

  it('does not wait for a retry-after over the limit: it goes to the fallback', async () => {
    const { router, clock } = makeRouter([group('m', [deployment('a')], { fallbacks: ['f'] }), group('f', [deployment('b')])], { retry: { maxRetryAfterMs: 10_000 } });
    const { attempt, calls } = scripted({ a: [statusError(429, { 'retry-after': '30' })] });
    const outcome = await router.route('m', attempt);
    expect(outcome.value).toBe('ok:b');
    expect(outcome.group).toBe('f');
    expect(calls).toEqual(['a', 'b']);
    expect(clock.sleeps).toEqual([]);
  });

  it('passes the attempt number, counting across groups', async () => {
    const { router } = makeRouter([group('m', [deployment('a')], { fallbacks: ['f'] }), group('f', [deployment('b')])], { retry: { maxRetries: 1 } });
    const numbers: number[] = [];
    const { attempt } = scripted({ a: [statusError(500), statusError(500)] });
    await router.route('m', (target, number) => {
      numbers.push(number);
      return attempt(target);
    });
    expect(numbers).toEqual([1, 2, 3]);
  });

  it('treats a thrown non-GatewayError as a retryable internal error', async () => {
    const { router } = makeRouter([group('m', [deployment('a'), deployment('b')])]);
    let first = true;
    const outcome = await router.route('m', async (target) => {
      if (first) {
        first = false;
        throw new TypeError('boom');
      }
      return target.id;
    });
    expect(outcome.value).toBe('b');
    expect(outcome.attempts[0].errorCode).toBe('internal_error');
  });

  it('rejects an unknown group with model_not_found', async () => {
    const { router } = makeRouter([group('m', [deployment('a')])]);
    expect(router.hasGroup('m')).toBe(true);
    expect(router.hasGroup('other')).toBe(false);
    expect((await rejection(router.route('other', async () => 'x'))).code).toBe('model_not_found');
  });
});
