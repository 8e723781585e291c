import { describe, expect, it } from 'vitest';
import { upstreamStatusError } from '../../kit/upstream-status-error.js';
import type { GatewayError } from '../../spec/index.js';
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

function stateOf(router: ReturnType<typeof makeRouter>['router'], id: string) {
  return router.snapshot().find((line) => line.deploymentId === id);
}

describe('Router circuit breakers', () => {
  const breaker = { failureThreshold: 2, cooldownMs: 30_000, halfOpenProbes: 1 };

  it('opens a breaker after the threshold and then skips that deployment, recording the skip', async () => {
    const { router } = makeRouter([group('m', [deployment('a', { weight: 1 }), deployment('b', { weight: 0 })], { strategy: 'weighted' })], { breaker, retry: { maxRetries: 0 } });
    const { attempt, calls } = scripted({ a: [serverError(), serverError()] });
    await rejection(router.route('m', attempt));
    expect(stateOf(router, 'a')).toMatchObject({ state: 'closed', consecutiveFailures: 1 });
    await rejection(router.route('m', attempt));
    expect(stateOf(router, 'a')).toMatchObject({ state: 'open', consecutiveFailures: 2 });
    const outcome = await router.route('m', attempt);
    expect(outcome.value).toBe('ok:b');
    expect(calls).toEqual(['a', 'a', 'b']);
    expect(outcome.attempts.map((record) => [record.deploymentId, record.outcome, record.reason])).toEqual([
      ['a', 'skipped', 'breaker-open'],
      ['b', 'success', undefined],
    ]);
  });

  it('reports upstream_unavailable with the time until the first breaker half-opens when nothing can be tried', async () => {
    const { router, clock } = makeRouter(
      [group('m', [deployment('a')], { fallbacks: ['f'] }), group('f', [deployment('b')])],
      { breaker: { ...breaker, failureThreshold: 1 }, retry: { maxRetries: 0 } },
    );
    const { attempt, calls } = scripted({ a: [serverError()], b: [serverError()] });
    await rejection(router.route('m', attempt)); // a fails, falls back to b, which fails too: both open at t=0
    clock.advance(10_000);
    const error = await rejection(router.route('m', attempt));
    expect(calls).toEqual(['a', 'b']);
    expect(error.code).toBe('upstream_unavailable');
    expect(error.retryAfterSeconds).toBe(20);
    expect(attemptsOf(error)?.map((record) => [record.deploymentId, record.outcome, record.reason])).toEqual([
      ['a', 'skipped', 'breaker-open'],
      ['b', 'skipped', 'breaker-open'],
    ]);
  });

  it('uses the soonest recovery among the skipped deployments and rounds up to whole seconds', async () => {
    const { router, clock } = makeRouter([group('m', [deployment('a'), deployment('b')])], { breaker: { ...breaker, failureThreshold: 1 }, retry: { maxRetries: 0 } });
    const { attempt } = scripted({ a: [serverError()], b: [serverError()] });
    await rejection(router.route('m', attempt)); // a opens at t=0
    clock.advance(5_500);
    await rejection(router.route('m', attempt)); // b opens at t=5.5s
    clock.advance(1_000);
    const error = await rejection(router.route('m', attempt));
    expect(error.code).toBe('upstream_unavailable');
    expect(error.retryAfterSeconds).toBe(24); // a half-opens in 23.5 s
  });

  it('lets a probe through after the cooldown and closes the breaker when it succeeds', async () => {
    const { router, clock } = makeRouter([group('m', [deployment('a')])], { breaker, retry: { maxRetries: 1 } });
    const { attempt } = scripted({ a: [serverError(), serverError()] });
    await rejection(router.route('m', attempt));
    expect(stateOf(router, 'a')?.state).toBe('open');
    clock.advance(29_999);
    expect((await rejection(router.route('m', attempt))).code).toBe('upstream_unavailable');
    clock.advance(1);
    expect(stateOf(router, 'a')?.state).toBe('half-open');
    const outcome = await router.route('m', attempt);
    expect(outcome.value).toBe('ok:a');
    expect(stateOf(router, 'a')).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it('re-opens with a fresh cooldown when the probe fails', async () => {
    const { router, clock } = makeRouter([group('m', [deployment('a')])], { breaker, retry: { maxRetries: 1 } });
    const { attempt, calls } = scripted({ a: [serverError(), serverError(), serverError()] });
    await rejection(router.route('m', attempt));
    clock.advance(30_000);
    const probeError = await rejection(router.route('m', attempt));
    expect(probeError.code).toBe('upstream_error');
    // The probe failed; the retry found the breaker open again and skipped it.
    expect(calls).toEqual(['a', 'a', 'a']);
    expect(attemptsOf(probeError)?.map((record) => record.outcome)).toEqual(['error', 'skipped']);
    expect(stateOf(router, 'a')?.state).toBe('open');
    const error = await rejection(router.route('m', attempt));
    expect(error.retryAfterSeconds).toBe(30);
  });

  it('lets only halfOpenProbes calls through while half-open', async () => {
    const { router, clock } = makeRouter([group('m', [deployment('a')])], { breaker: { ...breaker, failureThreshold: 1 }, retry: { maxRetries: 0 } });
    const { attempt } = scripted({ a: [serverError()] });
    await rejection(router.route('m', attempt));
    clock.advance(30_000);
    let release: (value: string) => void = () => {};
    const probe = router.route('m', () => new Promise<string>((resolve) => (release = resolve)));
    const refused = await rejection(router.route('m', attempt));
    expect(refused.code).toBe('upstream_unavailable');
    expect(attemptsOf(refused)?.[0]).toMatchObject({ deploymentId: 'a', outcome: 'skipped', reason: 'breaker-open' });
    release('probe ok');
    expect((await probe).value).toBe('probe ok');
    expect((await router.route('m', attempt)).value).toBe('ok:a');
  });

  it('counts a stream that fails after it started toward the breaker when settled with a retryable code', async () => {
    const { router } = makeRouter([group('m', [deployment('a')])], { breaker: { ...breaker, failureThreshold: 1 } });
    const outcome = await router.route('m', async () => 'stream');
    outcome.settle({ ok: false, errorCode: 'upstream_error' });
    expect(stateOf(router, 'a')?.state).toBe('open');
  });

  it('does not count a client abort settled on a stream', async () => {
    const { router } = makeRouter([group('m', [deployment('a')])], { breaker: { ...breaker, failureThreshold: 1 } });
    const outcome = await router.route('m', async () => 'stream');
    outcome.settle({ ok: false, errorCode: 'client_closed_request' });
    expect(stateOf(router, 'a')).toMatchObject({ state: 'closed', consecutiveFailures: 0, inFlight: 0 });
  });
});
