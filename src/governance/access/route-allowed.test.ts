import { describe, expect, it } from 'vitest';
import { isRouteAllowed } from './route-allowed.js';

describe('isRouteAllowed', () => {
  it('lets a key without allowed routes call the gateway API but not the admin API', () => {
    expect(isRouteAllowed([], '/v1/chat/completions')).toBe(true);
    expect(isRouteAllowed([], '/v1/messages')).toBe(true);
    expect(isRouteAllowed([], '/admin/v1/keys')).toBe(false);
  });

  it('matches whole path segments', () => {
    expect(isRouteAllowed(['/v1'], '/v1/embeddings')).toBe(true);
    expect(isRouteAllowed(['/v1/'], '/v1/embeddings')).toBe(true);
    expect(isRouteAllowed(['/v1/chat/completions'], '/v1/chat/completions')).toBe(true);
    expect(isRouteAllowed(['/v1/chat'], '/v1/chatter')).toBe(false);
    expect(isRouteAllowed(['/v1/chat/completions'], '/v1/embeddings')).toBe(false);
    expect(isRouteAllowed(['/admin/v1/agent-tokens'], '/admin/v1/keys')).toBe(false);
  });
});
