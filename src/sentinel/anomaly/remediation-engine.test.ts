import { describe, expect, it } from 'vitest';
import type { Incident } from './incident.js';
import type { RemediationActions } from './remediation-actions.js';
import { RemediationEngine, type RemediationAuditEntry } from './remediation-engine.js';
import { defaultRemediationPolicies } from './remediation-policy.js';

/** Records what the engine did; `alternatives` says how many other deployments could take over. */
class RecordingActions implements RemediationActions {
  readonly calls: string[] = [];
  alternatives = 1;
  async openCircuit(id: string) { this.calls.push(`open ${id}`); }
  async closeCircuit(id: string) { this.calls.push(`close ${id}`); }
  async shiftWeight(id: string, factor: number) { this.calls.push(`shift ${id} x${factor}`); }
  async restoreWeight(id: string) { this.calls.push(`restore ${id}`); }
  async throttleKey(id: string, perMinute: number) { this.calls.push(`throttle ${id} ${perMinute}/min`); }
  async releaseKey(id: string) { this.calls.push(`release ${id}`); }
  alternativesOf() { return this.alternatives; }
}

function incident(overrides: Partial<Incident> & Pick<Incident, 'id' | 'dimension' | 'subject'>, metric: Incident['evidence'][number]['metric']): Incident {
  return {
    severity: 'warning',
    state: 'open',
    detectedAt: 1_000,
    evidence: [{ series: `${metric}|${overrides.dimension}|${overrides.subject}`, metric, reason: 'persistence', points: [] }],
    hint: { dimension: overrides.dimension, value: overrides.subject, share: 1, summary: 'it' },
    attributes: {},
    bucketMs: 30_000,
    ...overrides,
  };
}

function setup() {
  const actions = new RecordingActions();
  const audit: RemediationAuditEntry[] = [];
  const engine = new RemediationEngine({ actions, policies: defaultRemediationPolicies, audit: (entry) => audit.push(entry), requestBaseline: () => 20, newId: (() => { let next = 0; return () => `rem_${++next}`; })() });
  return { actions, audit, engine };
}

describe('RemediationEngine', () => {
  it('opens the circuit of a deployment whose error rate is anomalous, and closes it when the incident clears; both audited', async () => {
    const { actions, audit, engine } = setup();
    const errors = incident({ id: 'anm_1', dimension: 'deployment', subject: 'dep_a' }, 'error_rate');
    await engine.handle({ kind: 'opened', incident: errors }, 1_000);
    expect(actions.calls).toEqual(['open dep_a']);
    expect(engine.list()[0]).toMatchObject({ id: 'rem_1', state: 'active', policy: 'open-circuit-on-errors', appliedAt: 1_000 });
    await engine.handle({ kind: 'cleared', incident: { ...errors, state: 'cleared', clearedAt: 5_000 } }, 5_000);
    expect(actions.calls).toEqual(['open dep_a', 'close dep_a']);
    expect(engine.list()[0]).toMatchObject({ state: 'undone', undoneAt: 5_000 });
    expect(audit.map((entry) => [entry.action, entry.actor.id, entry.target.id, entry.outcome])).toEqual([
      ['anomaly.remediation.apply', 'sentinel', 'dep_a', 'success'],
      ['anomaly.remediation.undo', 'sentinel', 'dep_a', 'success'],
    ]);
    expect(audit[0].details).toMatchObject({ incidentId: 'anm_1', remediationId: 'rem_1', action: { kind: 'open-circuit', deploymentId: 'dep_a' } });
  });

  it('shifts weight away from a slow deployment and throttles a runaway key from its normal rate', async () => {
    const { actions, engine } = setup();
    await engine.handle({ kind: 'opened', incident: incident({ id: 'anm_1', dimension: 'deployment', subject: 'dep_a' }, 'latency') }, 1_000);
    // 10 requests per 30 s bucket normally = 20 a minute; the cap is 1.5 times that.
    await engine.handle({ kind: 'opened', incident: incident({ id: 'anm_2', dimension: 'key', subject: 'key_a', baselineRequestsPerBucket: 10 }, 'request_rate') }, 1_000);
    expect(actions.calls).toEqual(['shift dep_a x0.1', 'throttle key_a 30/min']);
  });

  it('waits for a person before taking away the last deployment of a model, and applies on approval', async () => {
    const { actions, audit, engine } = setup();
    actions.alternatives = 0;
    await engine.handle({ kind: 'opened', incident: incident({ id: 'anm_1', dimension: 'deployment', subject: 'dep_only' }, 'error_rate') }, 1_000);
    expect(actions.calls).toEqual([]);
    const [pending] = engine.list();
    expect(pending).toMatchObject({ state: 'pending-approval', approvalReason: 'deployment dep_only is the last one able to serve its model' });
    const approved = await engine.approve(pending.id, { kind: 'user', id: 'user_ops' }, 2_000);
    expect(approved).toMatchObject({ state: 'active', decidedBy: 'user:user_ops' });
    expect(actions.calls).toEqual(['open dep_only']);
    expect(audit.map((entry) => [entry.action, entry.actor.id])).toEqual([
      ['anomaly.remediation.request-approval', 'sentinel'],
      ['anomaly.remediation.approve', 'user_ops'],
      ['anomaly.remediation.apply', 'sentinel'],
    ]);
    await expect(engine.approve(pending.id, { kind: 'user', id: 'user_ops' }, 3_000)).rejects.toMatchObject({ code: 'conflict' });
    await expect(engine.approve('rem_unknown', { kind: 'user', id: 'user_ops' }, 3_000)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('applies nothing when the person rejects, and a pending remediation expires when its incident clears', async () => {
    const { actions, engine } = setup();
    actions.alternatives = 0;
    const first = incident({ id: 'anm_1', dimension: 'deployment', subject: 'dep_x' }, 'error_rate');
    const second = incident({ id: 'anm_2', dimension: 'deployment', subject: 'dep_y' }, 'error_rate');
    await engine.handle({ kind: 'opened', incident: first }, 1_000);
    await engine.handle({ kind: 'opened', incident: second }, 1_000);
    const [rejectable, expiring] = engine.list().sort((left, right) => left.id.localeCompare(right.id));
    expect((await engine.reject(rejectable.id, { kind: 'master', id: 'master' }, 2_000)).state).toBe('rejected');
    await engine.handle({ kind: 'cleared', incident: second }, 3_000);
    expect(engine.get(expiring.id)?.state).toBe('expired');
    expect(actions.calls).toEqual([]);
  });

  it('probes an open circuit after its hold, reopens it for twice as long while the fault persists, and undoes it once clear', async () => {
    const { actions, engine } = setup();
    const errors = incident({ id: 'anm_1', dimension: 'deployment', subject: 'dep_a' }, 'error_rate');
    await engine.handle({ kind: 'opened', incident: errors }, 0);
    await engine.tick(599_999);
    expect(actions.calls).toEqual(['open dep_a']);
    await engine.tick(600_000);
    expect(engine.list()[0].state).toBe('probing');
    await engine.handle({ kind: 'persisting', incident: errors }, 630_000);
    expect(engine.list()[0]).toMatchObject({ state: 'active', holdMs: 1_200_000, probeAt: 1_830_000 });
    await engine.tick(1_830_000);
    await engine.handle({ kind: 'cleared', incident: errors }, 1_950_000);
    expect(actions.calls).toEqual(['open dep_a', 'close dep_a', 'open dep_a', 'close dep_a', 'close dep_a']);
    expect(engine.list()[0].state).toBe('undone');
  });

  it('throttles a team through the key its root-cause hint names, only when critical and with approval, never twice for one key', async () => {
    const { actions, engine } = setup();
    const team = incident({ id: 'anm_1', dimension: 'team', subject: 'team_a', severity: 'critical', hint: { dimension: 'key', value: 'key_a', share: 0.9, summary: 'key_a' } }, 'spend_rate');
    await engine.handle({ kind: 'opened', incident: team }, 1_000);
    expect(engine.list()[0]).toMatchObject({ state: 'pending-approval', action: { kind: 'throttle-key', keyId: 'key_a', requestsPerMinute: 60 } });
    const quiet = incident({ id: 'anm_2', dimension: 'team', subject: 'team_b' }, 'spend_rate');
    await engine.handle({ kind: 'opened', incident: quiet }, 1_000);
    expect(engine.list()).toHaveLength(1);
    expect(actions.calls).toEqual([]);
  });

  it('does not remediate a target twice: a team incident whose top key is already throttled adds nothing', async () => {
    const { actions, engine } = setup();
    await engine.handle({ kind: 'opened', incident: incident({ id: 'anm_1', dimension: 'key', subject: 'key_a', baselineRequestsPerBucket: 10 }, 'request_rate') }, 1_000);
    const team = incident({ id: 'anm_2', dimension: 'team', subject: 'team_a', severity: 'critical', hint: { dimension: 'key', value: 'key_a', share: 1, summary: 'key_a' } }, 'request_rate');
    await engine.handle({ kind: 'opened', incident: team }, 1_000);
    expect(engine.list().map((each) => each.incidentId)).toEqual(['anm_1']);
    expect(actions.calls).toEqual(['throttle key_a 30/min']);
  });
});
