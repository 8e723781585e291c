import { describe, expect, it } from 'vitest';
import { upstreamStatusError } from '../../kit/upstream-status-error.js';
import { GatewayError } from '../../spec/index.js';
import type { AttemptRecord } from './deployment.js';
import { attemptsOf } from './route-types.js';
import { deployment, group, makeRouter, scripted } from './test-support/router-fixtures.js';

const serverError = () => upstreamStatusError('upstream', 500, {}, { message: 'boom' });

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected a rejection');
}

describe('Router accounting', () => {
  it('keeps a successful call in flight until settle, so least-busy spreads long streams', async () => {
    const { router } = makeRouter([group('m', [deployment('a'), deployment('b')], { strategy: 'least-busy' })]);
    const first = await router.route('m', async (target) => target.id);
    const second = await router.route('m', async (target) => target.id);
    expect(new Set([first.value, second.value])).toEqual(new Set(['a', 'b']));
    expect(router.snapshot().map((line) => line.inFlight)).toEqual([1, 1]);
    first.settle({ ok: true });
    first.settle({ ok: true });
    const byId = Object.fromEntries(router.snapshot().map((line) => [line.deploymentId, line.inFlight]));
    expect(byId[first.value]).toBe(0);
    expect(byId[second.value]).toBe(1);
    const third = await router.route('m', async (target) => target.id);
    expect(third.value).toBe(first.value);
  });

  it('releases the in-flight count at once when an attempt fails', async () => {
    const { router } = makeRouter([group('m', [deployment('a')])], { retry: { maxRetries: 0 } });
    await rejection(router.route('m', scripted({ a: [serverError()] }).attempt));
    expect(router.snapshot()[0]).toMatchObject({ inFlight: 0, consecutiveFailures: 1 });
  });

  it('skips a deployment at maxInFlight and reports a short retry-after when all are full', async () => {
    const { router } = makeRouter([group('m', [deployment('a', { maxInFlight: 1 }), deployment('b', { maxInFlight: 1 })])]);
    const first = await router.route('m', async (target) => target.id);
    const second = await router.route('m', async (target) => target.id);
    expect(second.attempts.map((record) => [record.deploymentId, record.outcome, record.reason])).toEqual([
      [first.value, 'skipped', 'at-capacity'],
      [second.value, 'success', undefined],
    ]);
    const error = await rejection(router.route('m', async (target) => target.id));
    expect(error.code).toBe('upstream_unavailable');
    expect(error.retryAfterSeconds).toBe(1);
    second.settle({ ok: true });
    expect((await router.route('m', async (target) => target.id)).value).toBe(second.value);
  });

  it('skips a deployment that filled up while the router waited to retry it', async () => {
    const { router, clock } = makeRouter([group('m', [deployment('a', { maxInFlight: 1 })])]);
    clock.beforeSleep = () => {
      router.health.admit(deployment('a', { maxInFlight: 1 }));
    };
    const { attempt, calls } = scripted({ a: [serverError()] });
    const error = await rejection(router.route('m', attempt));
    expect(error.code).toBe('upstream_error');
    expect(calls).toEqual(['a']);
    expect(attemptsOf(error)?.map((record) => [record.outcome, record.reason])).toEqual([
      ['error', undefined],
      ['skipped', 'at-capacity'],
    ]);
  });

  it('updates the latency average at settle from the attempt start, and lowest-latency follows it', async () => {
    const { router, clock } = makeRouter([group('m', [deployment('a'), deployment('b')], { strategy: 'lowest-latency' })]);
    const measure = async (durationMs: number) => {
      const outcome = await router.route('m', async (target) => {
        clock.advance(10);
        return target.id;
      });
      clock.advance(durationMs - 10);
      outcome.settle({ ok: true });
      return outcome.value;
    };
    const firstMeasured = await measure(900);
    const secondMeasured = await measure(300);
    expect(new Set([firstMeasured, secondMeasured])).toEqual(new Set(['a', 'b']));
    expect(router.snapshot().find((line) => line.deploymentId === secondMeasured)?.latencyMs).toBe(300);
    expect(await measure(1000)).toBe(secondMeasured);
    // 0.3 * 1000 + 0.7 * 300 = 510, still under 900.
    expect(router.snapshot().find((line) => line.deploymentId === secondMeasured)?.latencyMs).toBeCloseTo(510);
    expect(await measure(100)).toBe(secondMeasured);
  });

  it('records each attempt with its timing and passes the same records to onAttempt', async () => {
    const { router, clock } = makeRouter([group('m', [deployment('a'), deployment('b')])]);
    const seen: AttemptRecord[] = [];
    const startedAt = clock.now();
    const outcome = await router.route(
      'm',
      async (target) => {
        clock.advance(40);
        if (target.id === 'a') throw upstreamStatusError('upstream', 503, { 'retry-after': '2' }, { message: 'busy', upstreamCode: 'overloaded' });
        return target.id;
      },
      { onAttempt: (record) => seen.push(record) },
    );
    expect(outcome.attempts).toEqual(seen);
    expect(outcome.attempts).toEqual([
      { deploymentId: 'a', provider: 'provider-a', model: 'model-a', group: 'm', startedAt, durationMs: 40, outcome: 'error', errorCode: 'upstream_unavailable', upstreamStatus: 503, retryAfterSeconds: 2, reason: undefined },
      { deploymentId: 'b', provider: 'provider-b', model: 'model-b', group: 'm', startedAt: startedAt + 40, durationMs: 40, outcome: 'success', reason: 'retry' },
    ]);
  });

  it('stops waiting when the request is aborted during a backoff', async () => {
    const { router, clock } = makeRouter([group('m', [deployment('a')])]);
    const controller = new AbortController();
    clock.beforeSleep = () => controller.abort();
    const { attempt, calls } = scripted({ a: [serverError()] });
    const error = await rejection(router.route('m', attempt, { signal: controller.signal }));
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.code).toBe('client_closed_request');
    expect(calls).toEqual(['a']);
    expect(clock.sleeps).toEqual([250]);
    expect(attemptsOf(error)).toHaveLength(1);
  });

  it('throws the abort reason itself when it is a GatewayError', async () => {
    const { router, clock } = makeRouter([group('m', [deployment('a')])]);
    const controller = new AbortController();
    const timeout = new GatewayError('upstream_timeout', 'total timeout');
    clock.beforeSleep = () => controller.abort(timeout);
    const error = await rejection(router.route('m', scripted({ a: [serverError()] }).attempt, { signal: controller.signal }));
    expect(error).toBe(timeout);
  });

  it('does not retry or blame the deployment when the request is aborted during an attempt', async () => {
    const { router } = makeRouter([group('m', [deployment('a'), deployment('b')])], { breaker: { failureThreshold: 1 } });
    const controller = new AbortController();
    const calls: string[] = [];
    const error = await rejection(
      router.route(
        'm',
        async (target) => {
          calls.push(target.id);
          controller.abort();
          throw new GatewayError('upstream_connection_error', 'socket closed');
        },
        { signal: controller.signal },
      ),
    );
    expect(error.code).toBe('client_closed_request');
    expect(calls).toHaveLength(1);
    expect(router.snapshot().every((line) => line.state === 'closed' && line.inFlight === 0)).toBe(true);
    expect(attemptsOf(error)?.[0]).toMatchObject({ outcome: 'error', errorCode: 'client_closed_request' });
  });

  it('does not start when the signal is already aborted', async () => {
    const { router } = makeRouter([group('m', [deployment('a')])]);
    const { attempt, calls } = scripted({});
    const error = await rejection(router.route('m', attempt, { signal: AbortSignal.abort() }));
    expect(error.code).toBe('client_closed_request');
    expect(calls).toEqual([]);
  });

  it('round robin cycles per group, independently of other groups', async () => {
    const { router } = makeRouter([group('m', [deployment('a'), deployment('b')]), group('n', [deployment('c'), deployment('d')])]);
    const order: string[] = [];
    for (const name of ['m', 'n', 'm', 'n', 'm']) {
      const outcome = await router.route(name, async (target) => target.id);
      outcome.settle({ ok: true });
      order.push(outcome.value);
    }
    expect(order).toEqual(['a', 'c', 'b', 'd', 'a']);
  });
});
