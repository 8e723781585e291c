import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../spec/index.js';
import { limitDefinitionSchema, parseLimitDefinition, resolveLimitRules, type LimitDefinition, type LimitDefinitionInput } from './limit-definition.js';

function limit(changes: Partial<LimitDefinitionInput> & { id: string }): LimitDefinition {
  return parseLimitDefinition({ scope: 'key', scopeId: 'key-a', metric: 'requests', limit: 60, windowMs: 60_000, ...changes });
}

function messageOf(input: unknown): string {
  try {
    parseLimitDefinition(input);
  } catch (error) {
    if (isGatewayError(error) && error.code === 'invalid_request') return error.message;
    throw error;
  }
  throw new Error('expected the definition to be refused');
}

const subject = { keyId: 'key-a', teamId: 'team-1', workspaceId: 'ws-1', organisationId: 'org-1', model: 'gpt-4o' };

describe('limitDefinitionSchema', () => {
  it('fills in the sliding window and accepts a concurrent limit without a window', () => {
    expect(limit({ id: 'l' }).algorithm).toBe('sliding-window');
    expect(limitDefinitionSchema.parse({ id: 'c', scope: 'team', scopeId: 't', metric: 'concurrent', limit: 4 })).toEqual({
      id: 'c',
      scope: 'team',
      scopeId: 't',
      metric: 'concurrent',
      limit: 4,
      algorithm: 'sliding-window',
    });
  });

  it('refuses values that make no sense with a message naming the field', () => {
    const base = { id: 'l', scope: 'key', scopeId: 'k', metric: 'tokens', limit: 100, windowMs: 60_000 };
    expect(messageOf({ ...base, limit: 0 })).toBe('limit: must be at least 1');
    expect(messageOf({ ...base, limit: 2.5 })).toBe('limit: must be a whole number');
    expect(messageOf({ ...base, limit: '100' })).toMatch(/^limit: /);
    expect(messageOf({ ...base, windowMs: 999 })).toBe('windowMs: must be at least 1000 (one second)');
    expect(messageOf({ ...base, windowMs: 86_400_001 })).toBe('windowMs: must be at most 86400000 (one day)');
    expect(messageOf({ ...base, windowMs: undefined })).toBe('windowMs: required for a tokens limit (1000 to 86400000 ms)');
    expect(messageOf({ ...base, metric: 'concurrent' })).toBe('windowMs: a concurrent limit counts requests in flight and takes no window');
    expect(messageOf({ ...base, metric: 'dollars' })).toBe('metric: must be one of requests, tokens, concurrent');
    expect(messageOf({ ...base, scope: 'planet' })).toBe('scope: must be one of key, team, workspace, organisation');
    expect(messageOf({ ...base, algorithm: 'leaky-bucket' })).toBe('algorithm: must be token-bucket or sliding-window');
    expect(messageOf({ ...base, scopeId: '  ' })).toBe('scopeId: must not be empty');
    expect(messageOf({ ...base, model: '' })).toBe('model: must not be empty (leave it out to limit every model)');
    expect(messageOf({ ...base, burst: 3 })).toBe('unknown field(s) burst');
  });
});

describe('resolveLimitRules', () => {
  it('applies the limits of the key, its team, workspace and organisation, and no one else’s', () => {
    const resolved = resolveLimitRules(
      [
        limit({ id: 'key', scope: 'key', scopeId: 'key-a' }),
        limit({ id: 'team', scope: 'team', scopeId: 'team-1', metric: 'tokens', limit: 10_000 }),
        limit({ id: 'workspace', scope: 'workspace', scopeId: 'ws-1', windowMs: 1_000, algorithm: 'token-bucket' }),
        limit({ id: 'organisation', scope: 'organisation', scopeId: 'org-1', windowMs: 86_400_000 }),
        limit({ id: 'other-key', scope: 'key', scopeId: 'key-b' }),
        limit({ id: 'other-team', scope: 'team', scopeId: 'team-2' }),
        limit({ id: 'team-named-like-key', scope: 'team', scopeId: 'key-a' }),
      ],
      subject,
    );
    expect(resolved.rules).toEqual([
      { counter: 'key:key-a:requests:60000:sliding-window', name: 'requests', metric: 'requests', limit: 60, windowMs: 60_000, algorithm: 'sliding-window' },
      { counter: 'team:team-1:tokens:60000:sliding-window', name: 'tokens', metric: 'tokens', limit: 10_000, windowMs: 60_000, algorithm: 'sliding-window' },
      { counter: 'workspace:ws-1:requests:1000:token-bucket', name: 'requests', metric: 'requests', limit: 60, windowMs: 1_000, algorithm: 'token-bucket' },
      { counter: 'organisation:org-1:requests:86400000:sliding-window', name: 'requests', metric: 'requests', limit: 60, windowMs: 86_400_000, algorithm: 'sliding-window' },
    ]);
    expect(resolved.concurrency).toEqual([]);
  });

  it('gives every key of a team the same counter for the team’s limit', () => {
    const definitions = [limit({ id: 'team', scope: 'team', scopeId: 'team-1' })];
    const first = resolveLimitRules(definitions, subject).rules[0]!.counter;
    const second = resolveLimitRules(definitions, { ...subject, keyId: 'key-z' }).rules[0]!.counter;
    expect(second).toBe(first);
  });

  it('skips team limits for a key without a team', () => {
    const definitions = [limit({ id: 'team', scope: 'team', scopeId: 'team-1' })];
    expect(resolveLimitRules(definitions, { ...subject, teamId: undefined }).rules).toEqual([]);
  });

  it('applies a model-specific limit only to that model, on a counter of its own', () => {
    const definitions = [limit({ id: 'all' }), limit({ id: 'llama', model: 'llama3:8b', limit: 5 })];
    expect(resolveLimitRules(definitions, subject).rules.map((rule) => rule.limit)).toEqual([60]);
    const llama = resolveLimitRules(definitions, { ...subject, model: 'llama3:8b' }).rules;
    expect(llama.map((rule) => [rule.counter, rule.limit])).toEqual([
      ['key:key-a:requests:60000:sliding-window', 60],
      ['key:key-a:model:llama3%3A8b:requests:60000:sliding-window', 5],
    ]);
  });

  it('returns concurrency limits apart, and collapses limits sharing a counter to the tightest', () => {
    const resolved = resolveLimitRules(
      [
        limit({ id: 'loose', limit: 100 }),
        limit({ id: 'tight', limit: 10 }),
        limit({ id: 'loose-again', limit: 50 }),
        limit({ id: 'c-1', scope: 'workspace', scopeId: 'ws-1', metric: 'concurrent', limit: 8, windowMs: undefined }),
        limit({ id: 'c-2', scope: 'workspace', scopeId: 'ws-1', metric: 'concurrent', limit: 4, windowMs: undefined }),
      ],
      subject,
    );
    expect(resolved.rules.map((rule) => rule.limit)).toEqual([10]);
    expect(resolved.concurrency).toEqual([{ counter: 'workspace:ws-1:concurrent', limit: 4 }]);
  });
});
