import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteTestDatabase } from '../test/support/sqlite-test-database.js';
import type { Database } from './db/index.js';
import { HeldOpenDeploymentHealth } from './gateway/routing/held-open-deployment-health.js';
import { InProcessDeploymentHealth, Router, defaultBreakerPolicy, defaultRetryPolicy, type ModelGroup } from './gateway/routing/index.js';
import { deployment, group, scripted } from './gateway/routing/test-support/router-fixtures.js';
import { SqlLimitStore } from './governance/limits/sql-limit-store.js';
import { LiveRemediationActions, throttleLimitId } from './live-remediation-actions.js';
import { systemClock } from './kit/system-clock.js';

describe('LiveRemediationActions against the router and the limit store', () => {
  let fixture: { database: Database; dispose: () => Promise<void> };
  let groups: Map<string, ModelGroup>;
  let health: HeldOpenDeploymentHealth;
  let router: Router;
  let limits: SqlLimitStore;
  let changed: string[];
  let actions: LiveRemediationActions;

  beforeEach(async () => {
    fixture = await openSqliteTestDatabase('remediation');
    groups = new Map([['chat', group('chat', [deployment('dep_a', { weight: 2 }), deployment('dep_b', { weight: 1 })], { strategy: 'weighted' })]]);
    health = new HeldOpenDeploymentHealth(new InProcessDeploymentHealth({ breaker: defaultBreakerPolicy, clock: systemClock }));
    let turn = 0;
    router = new Router({ groups, retry: { ...defaultRetryPolicy, maxRetries: 0, jitter: 0 }, breaker: defaultBreakerPolicy, clock: systemClock, health, random: () => ((turn += 0.37) % 1) });
    limits = new SqlLimitStore(fixture.database.kysely);
    changed = [];
    actions = new LiveRemediationActions({ groups, health, limits, onLimitsChanged: async (id) => void changed.push(id) });
  });
  afterEach(async () => {
    await fixture.dispose();
  });

  async function servedBy(count: number): Promise<string[]> {
    const { attempt } = scripted({});
    const served: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const outcome = await router.route('chat', attempt);
      outcome.settle({ ok: true });
      served.push(outcome.value.replace('ok:', ''));
    }
    return served;
  }

  it('holds a circuit open: the router skips the deployment and reports it open, until released', async () => {
    await actions.openCircuit('dep_a');
    expect(new Set(await servedBy(20))).toEqual(new Set(['dep_b']));
    expect(router.snapshot().find((line) => line.deploymentId === 'dep_a')?.state).toBe('open');
    expect(actions.alternativesOf('dep_b')).toBe(0);
    expect(actions.alternativesOf('dep_a')).toBe(1);
    await actions.closeCircuit('dep_a');
    expect(new Set(await servedBy(20))).toEqual(new Set(['dep_a', 'dep_b']));
  });

  it('shifts routing weight away and restores the configured weight', async () => {
    await actions.shiftWeight('dep_a', 0);
    expect(groups.get('chat')?.deployments.map((each) => each.weight)).toEqual([0, 1]);
    expect(new Set(await servedBy(20))).toEqual(new Set(['dep_b']));
    // Applying again scales the configured weight, not the already shifted one.
    await actions.shiftWeight('dep_a', 0.5);
    expect(groups.get('chat')?.deployments[0].weight).toBe(1);
    await actions.restoreWeight('dep_a');
    expect(groups.get('chat')?.deployments.map((each) => each.weight)).toEqual([2, 1]);
  });

  it('throttles a key with a stored per-minute limit, tells the replicas, and removes it on release', async () => {
    await actions.throttleKey('key_a', 30);
    expect(await limits.get(throttleLimitId('key_a'))).toMatchObject({ scope: 'key', scopeId: 'key_a', metric: 'requests', limit: 30, windowMs: 60_000 });
    await actions.throttleKey('key_a', 45);
    expect((await limits.get(throttleLimitId('key_a')))?.limit).toBe(45);
    await actions.releaseKey('key_a');
    expect(await limits.get(throttleLimitId('key_a'))).toBeUndefined();
    await actions.releaseKey('key_a');
    expect(changed).toEqual([throttleLimitId('key_a'), throttleLimitId('key_a'), throttleLimitId('key_a')]);
  });
});
