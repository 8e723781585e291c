import { describe, expect, it } from 'vitest';
import type { LimitDefinition } from '../../governance/limits/limit-definition.js';
import { GovernanceSnapshot, type GovernanceSnapshotSources } from './governance-snapshot.js';

const silent = { debug() {}, info() {}, warn() {}, error() {}, child() { return silent; } } as unknown as GovernanceSnapshotSources['logger'];

function sourcesWithLimits(limits: LimitDefinition[]) {
  const reads: string[] = [];
  const sources: GovernanceSnapshotSources = {
    identity: {
      listOrganisations: async () => (reads.push('organisations'), [{ id: 'org_1', name: 'acme', llm: {} }] as never),
      listWorkspaces: async () => (reads.push('workspaces'), [{ id: 'ws_1', organisationId: 'org_1', name: 'production', llm: {} }] as never),
    },
    limits: { list: async () => (reads.push('limits'), [...limits]) },
    budgets: { list: async () => (reads.push('budgets'), []) },
    policies: { listPolicies: async () => (reads.push('policies'), []) },
    config: {},
    logger: silent,
  };
  return { sources, reads };
}

const subject = { keyId: 'key_1', workspaceId: 'ws_1', organisationId: 'org_1' };
const limit = (value: number): LimitDefinition => ({ id: 'limit_1', scope: 'key', scopeId: 'key_1', metric: 'requests', limit: value, windowMs: 60_000, algorithm: 'token-bucket' }) as LimitDefinition;

describe('the governance snapshot', () => {
  it('reads again only what a change topic touched, and answers with the new definitions', async () => {
    const stored = [limit(5)];
    const { sources, reads } = sourcesWithLimits(stored);
    const snapshot = new GovernanceSnapshot(sources);
    await snapshot.reload();
    expect(snapshot.limitsFor(subject).map((definition) => definition.limit)).toEqual([5]);
    reads.length = 0;
    stored[0] = limit(9);
    await snapshot.reload('limits');
    expect(reads).toEqual(['limits']);
    expect(snapshot.limitsFor(subject).map((definition) => definition.limit)).toEqual([9]);
  });

  it('ignores other domains\' topics on the bus, and reads everything on a resync', async () => {
    const { sources, reads } = sourcesWithLimits([limit(5)]);
    const snapshot = new GovernanceSnapshot(sources);
    await snapshot.reload();
    const answer = snapshot.limitsFor(subject);
    reads.length = 0;
    await snapshot.reload('alert-rules');
    await snapshot.reload('providers');
    expect(reads).toEqual([]);
    // The memoised answer survives: nothing it depends on changed.
    expect(snapshot.limitsFor(subject)).toBe(answer);
    await snapshot.reload('*');
    expect(new Set(reads)).toEqual(new Set(['organisations', 'workspaces', 'limits', 'budgets', 'policies']));
  });
});
