import { describe, expect, it } from 'vitest';
import type { Deployment } from './deployment.js';
import type { CallLease } from './deployment-health.js';
import { InProcessDeploymentHealth } from './in-process-deployment-health.js';
import { FakeClock } from './test-support/fake-clock.js';

const target: Deployment = { id: 'd1', provider: 'p', model: 'm', weight: 1 };

function setUp(breaker = { failureThreshold: 3, cooldownMs: 10_000, halfOpenProbes: 1 }) {
  const clock = new FakeClock();
  const health = new InProcessDeploymentHealth({ breaker, clock });
  const lease = (deployment: Deployment = target): CallLease => {
    const admission = health.admit(deployment);
    if (!admission.admitted) throw new Error(`not admitted: ${admission.reason}`);
    return admission.lease;
  };
  return { clock, health, lease };
}

describe('InProcessDeploymentHealth', () => {
  it('an unknown deployment is closed, idle and unmeasured', () => {
    const { health } = setUp();
    expect(health.view('nobody')).toEqual({ deploymentId: 'nobody', state: 'closed', inFlight: 0, consecutiveFailures: 0 });
    expect(health.check(target)).toEqual({ available: true });
  });

  it('counts calls in flight until they fail or finish, and each lease ends once', () => {
    const { health, lease } = setUp();
    const first = lease();
    const second = lease();
    expect(health.view('d1').inFlight).toBe(2);
    first.failed({ countsTowardBreaker: false });
    first.failed({ countsTowardBreaker: false });
    expect(health.view('d1').inFlight).toBe(1);
    second.answered();
    expect(health.view('d1').inFlight).toBe(1);
    second.finished({ ok: true, durationMs: 100, countsTowardBreaker: false });
    second.finished({ ok: true, durationMs: 100, countsTowardBreaker: false });
    expect(health.view('d1').inFlight).toBe(0);
  });

  it('refuses calls over maxInFlight', () => {
    const { health, lease } = setUp();
    const limited = { ...target, maxInFlight: 1 };
    const first = lease(limited);
    expect(health.check(limited)).toEqual({ available: false, reason: 'at-capacity' });
    expect(health.admit(limited)).toMatchObject({ admitted: false, reason: 'at-capacity' });
    first.finished({ ok: true, durationMs: 1, countsTowardBreaker: false });
    expect(health.check(limited)).toEqual({ available: true });
  });

  it('keeps an exponentially weighted latency average (alpha 0.3) of successful calls', () => {
    const { health, lease } = setUp();
    const finish = (durationMs: number, ok = true) => {
      const current = lease();
      current.answered();
      current.finished({ ok, durationMs, countsTowardBreaker: false });
    };
    finish(100);
    expect(health.view('d1').latencyMs).toBe(100);
    finish(200);
    expect(health.view('d1').latencyMs).toBeCloseTo(130);
    finish(5000, false);
    expect(health.view('d1').latencyMs).toBeCloseTo(130);
  });

  it('opens after the threshold of consecutive retryable failures; client errors and successes break the run', () => {
    const { health, lease, clock } = setUp();
    lease().failed({ countsTowardBreaker: true });
    lease().failed({ countsTowardBreaker: true });
    lease().failed({ countsTowardBreaker: false });
    expect(health.view('d1')).toMatchObject({ state: 'closed', consecutiveFailures: 2 });
    const ok = lease();
    ok.answered();
    ok.finished({ ok: true, durationMs: 1, countsTowardBreaker: false });
    expect(health.view('d1').consecutiveFailures).toBe(0);
    for (let index = 0; index < 3; index += 1) lease().failed({ countsTowardBreaker: true });
    expect(health.view('d1')).toMatchObject({ state: 'open', consecutiveFailures: 3, openUntil: clock.now() + 10_000 });
    expect(health.check(target)).toEqual({ available: false, reason: 'breaker-open', retryAfterMs: 10_000 });
    clock.advance(4_000);
    expect(health.check(target)).toEqual({ available: false, reason: 'breaker-open', retryAfterMs: 6_000 });
  });

  it('half-opens after the cooldown, lets one probe through, and closes on its success', () => {
    const { health, lease, clock } = setUp();
    for (let index = 0; index < 3; index += 1) lease().failed({ countsTowardBreaker: true });
    clock.advance(10_000);
    expect(health.view('d1').state).toBe('half-open');
    const probe = lease();
    expect(health.check(target)).toEqual({ available: false, reason: 'breaker-open', retryAfterMs: 0 });
    probe.answered();
    expect(health.view('d1')).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    expect(health.check(target)).toEqual({ available: true });
  });

  it('re-opens with a fresh cooldown when the probe fails retryably; a client error frees the probe slot only', () => {
    const { health, lease, clock } = setUp();
    for (let index = 0; index < 3; index += 1) lease().failed({ countsTowardBreaker: true });
    clock.advance(10_000);
    lease().failed({ countsTowardBreaker: false });
    expect(health.view('d1').state).toBe('half-open');
    lease().failed({ countsTowardBreaker: true });
    expect(health.view('d1')).toMatchObject({ state: 'open', openUntil: clock.now() + 10_000 });
  });

  it('allows as many concurrent probes as halfOpenProbes', () => {
    const { health, lease, clock } = setUp({ failureThreshold: 1, cooldownMs: 1000, halfOpenProbes: 2 });
    lease().failed({ countsTowardBreaker: true });
    clock.advance(1000);
    lease();
    lease();
    expect(health.admit(target)).toMatchObject({ admitted: false, reason: 'breaker-open' });
  });

  it('a stream that fails mid-way with a retryable error counts toward the breaker', () => {
    const { health, lease } = setUp({ failureThreshold: 1, cooldownMs: 1000, halfOpenProbes: 1 });
    const stream = lease();
    stream.answered();
    stream.finished({ ok: false, durationMs: 10, countsTowardBreaker: true });
    expect(health.view('d1').state).toBe('open');
  });
});

describe('InProcessDeploymentHealth.applyRemoteState', () => {
  it('opens a closed breaker until the instant another replica chose, then half-opens it', () => {
    const { clock, health } = setUp();
    const openUntil = clock.now() + 4_000;
    health.applyRemoteState('d1', 'open', openUntil);
    expect(health.view('d1')).toMatchObject({ state: 'open', openUntil });
    expect(health.check(target)).toEqual({ available: false, reason: 'breaker-open', retryAfterMs: 4_000 });
    clock.advance(4_000);
    expect(health.view('d1').state).toBe('half-open');
  });

  it('ignores an open whose instant is past, and keeps a longer local cooldown', () => {
    const { clock, health, lease } = setUp();
    health.applyRemoteState('d1', 'open', clock.now());
    expect(health.view('d1').state).toBe('closed');
    for (let index = 0; index < 3; index += 1) lease().failed({ countsTowardBreaker: true });
    const localEnd = clock.now() + 10_000;
    health.applyRemoteState('d1', 'open', clock.now() + 2_000);
    expect(health.view('d1').openUntil).toBe(localEnd);
    health.applyRemoteState('d1', 'open', localEnd + 5_000);
    expect(health.view('d1').openUntil).toBe(localEnd + 5_000);
  });

  it('closes an open or half-open breaker on a success elsewhere and restarts the failure count', () => {
    const { clock, health, lease } = setUp();
    for (let index = 0; index < 3; index += 1) lease().failed({ countsTowardBreaker: true });
    health.applyRemoteState('d1', 'closed');
    expect(health.view('d1')).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    for (let index = 0; index < 2; index += 1) lease().failed({ countsTowardBreaker: true });
    expect(health.view('d1').state).toBe('closed');
    lease().failed({ countsTowardBreaker: true });
    clock.advance(10_000);
    expect(health.view('d1').state).toBe('half-open');
    health.applyRemoteState('d1', 'closed');
    expect(health.check(target)).toEqual({ available: true });
    health.applyRemoteState('never-seen', 'closed');
    expect(health.view('never-seen').state).toBe('closed');
  });
});
