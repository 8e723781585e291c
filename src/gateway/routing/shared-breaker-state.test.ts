import { describe, expect, it } from 'vitest';
import type { Deployment } from './deployment.js';
import { InProcessDeploymentHealth } from './in-process-deployment-health.js';
import { breakerTopic, SharedBreakerState } from './shared-breaker-state.js';
import { FakeClock } from './test-support/fake-clock.js';
import { MemoryBreakerNetwork } from './test-support/memory-breaker-network.js';

const breaker = { failureThreshold: 3, cooldownMs: 10_000, halfOpenProbes: 1 };
const target: Deployment = { id: 'openai-eu', provider: 'openai', model: 'gpt-4o', weight: 1 };

function setUp() {
  const clock = new FakeClock();
  const network = new MemoryBreakerNetwork(clock);
  const replica = async (replicaId: string) => {
    const errors: string[] = [];
    const health = new SharedBreakerState({
      local: new InProcessDeploymentHealth({ breaker, clock }),
      store: network.store,
      bus: network.channel(),
      clock,
      replicaId,
      onError: (error) => errors.push(error.message),
    });
    await health.start([target.id]);
    return { health, errors };
  };
  return { clock, network, replica };
}

function fail(health: SharedBreakerState, times: number): void {
  for (let index = 0; index < times; index += 1) {
    const admission = health.admit(target);
    if (!admission.admitted) throw new Error(`not admitted: ${admission.reason}`);
    admission.lease.failed({ countsTowardBreaker: true });
  }
}

function succeed(health: SharedBreakerState): void {
  const admission = health.admit(target);
  if (!admission.admitted) throw new Error(`not admitted: ${admission.reason}`);
  admission.lease.answered();
  admission.lease.finished({ ok: true, durationMs: 20, countsTowardBreaker: false });
}

describe('SharedBreakerState', () => {
  it('opens the breaker on the other replicas until the same instant; all half-open after the cooldown', async () => {
    const { clock, network, replica } = setUp();
    const first = await replica('first');
    const second = await replica('second');
    fail(first.health, 3);
    await first.health.flush();
    const openUntil = clock.now() + breaker.cooldownMs;
    expect(second.health.view(target.id)).toMatchObject({ state: 'open', openUntil });
    expect(second.health.check(target)).toEqual({ available: false, reason: 'breaker-open', retryAfterMs: breaker.cooldownMs });
    expect(network.records.get(target.id)).toEqual({ openUntil, expiresAt: openUntil });
    clock.advance(breaker.cooldownMs);
    expect(first.health.view(target.id).state).toBe('half-open');
    expect(second.health.view(target.id).state).toBe('half-open');
  });

  it('closes the breaker everywhere when a probe succeeds on one replica, and forgets the record', async () => {
    const { clock, network, replica } = setUp();
    const first = await replica('first');
    const second = await replica('second');
    fail(first.health, 3);
    await first.health.flush();
    clock.advance(breaker.cooldownMs);
    succeed(second.health);
    await second.health.flush();
    expect(first.health.view(target.id)).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    expect(network.records.has(target.id)).toBe(false);
  });

  it('re-opens everywhere with a fresh cooldown when a probe fails', async () => {
    const { clock, replica } = setUp();
    const first = await replica('first');
    const second = await replica('second');
    fail(first.health, 3);
    await first.health.flush();
    clock.advance(breaker.cooldownMs);
    fail(second.health, 1);
    await second.health.flush();
    expect(first.health.view(target.id)).toMatchObject({ state: 'open', openUntil: clock.now() + breaker.cooldownMs });
  });

  it('shares nothing while the breaker does not change', async () => {
    const { network, replica } = setUp();
    const first = await replica('first');
    succeed(first.health);
    fail(first.health, 2);
    succeed(first.health);
    await first.health.flush();
    expect(network.published).toEqual([]);
  });

  it('gives a replica that starts later the open breakers on record, but not expired ones', async () => {
    const { clock, network, replica } = setUp();
    const first = await replica('first');
    fail(first.health, 3);
    await first.health.flush();
    const late = await replica('late');
    expect(late.health.view(target.id)).toMatchObject({ state: 'open', openUntil: clock.now() + breaker.cooldownMs });
    clock.advance(breaker.cooldownMs);
    expect(network.records.size).toBe(1);
    const later = await replica('later');
    expect(later.health.view(target.id).state).toBe('closed');
  });

  it('reads the record again on a resync, since messages may have been missed', async () => {
    const { clock, network, replica } = setUp();
    const second = await replica('second');
    const openUntil = clock.now() + 5_000;
    network.records.set(target.id, { openUntil, expiresAt: openUntil });
    expect(second.health.view(target.id).state).toBe('closed');
    network.resync();
    await second.health.flush();
    expect(second.health.view(target.id)).toMatchObject({ state: 'open', openUntil });
  });

  it('ignores its own messages, malformed ones and an open whose instant is past', async () => {
    const { clock, network, replica } = setUp();
    const { health, errors } = await replica('replica');
    network.deliver(breakerTopic, { id: target.id, state: 'open', openUntil: String(clock.now() + 1_000), replica: 'replica' });
    network.deliver(breakerTopic, { id: target.id, state: 'open', openUntil: String(clock.now()), replica: 'other' });
    network.deliver(breakerTopic, { id: target.id, state: 'half-open', replica: 'other' });
    network.deliver(breakerTopic, { id: target.id, state: 'open', openUntil: 'soon', replica: 'other' });
    expect(health.view(target.id).state).toBe('closed');
    expect(errors).toEqual(['Ignored a breaker message that is not a breaker change', 'Ignored a breaker message that is not a breaker change']);
    network.deliver(breakerTopic, { id: target.id, state: 'open', openUntil: String(clock.now() + 1_000), replica: 'other' });
    expect(health.view(target.id).state).toBe('open');
  });

  it('keeps routing on local state and reports it when the change cannot be recorded', async () => {
    const { network, replica } = setUp();
    const first = await replica('first');
    const second = await replica('second');
    network.failure = new Error('Redis at redis://127.0.0.1:6379: connection closed');
    fail(first.health, 3);
    await first.health.flush();
    expect(first.health.view(target.id).state).toBe('open');
    expect(second.health.view(target.id).state).toBe('closed');
    expect(first.errors).toEqual([`Could not share the breaker state of deployment ${target.id}: Redis at redis://127.0.0.1:6379: connection closed`]);
    expect(network.published).toEqual([]);
  });

  it('stops applying changes once closed', async () => {
    const { clock, network, replica } = setUp();
    const { health } = await replica('replica');
    await health.close();
    network.deliver(breakerTopic, { id: target.id, state: 'open', openUntil: String(clock.now() + 1_000), replica: 'other' });
    expect(health.view(target.id).state).toBe('closed');
  });
});
