import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { AgentTokenClaims } from './agent-token.js';
import { agentTokenType, createAgentTokenIssuer } from './jwt-agent-token-issuer.js';

const secret = randomBytes(32);
const issuer = createAgentTokenIssuer({ secret, issuer: 'switchyard' });
const now = Date.UTC(2026, 10, 20, 9, 0, 0);
const request = {
  subject: 'key_abc',
  organisationId: 'org-a',
  workspaceId: 'ws-a',
  scopes: ['gateway:chat', 'admin:keys:read'],
  models: ['gpt-4o-mini'],
};

async function refusal(token: string, atMs = now): Promise<{ code: string; message: string }> {
  const error = await issuer.verify(token, atMs).then(
    () => undefined,
    (caught: unknown) => caught as { code: string; message: string },
  );
  if (error === undefined) throw new Error('the token was accepted');
  if (token !== '') expect(error.message).not.toContain(token);
  return error;
}

function encode(part: object): string {
  return Buffer.from(JSON.stringify(part)).toString('base64url');
}

describe('createAgentTokenIssuer', () => {
  it('mints a token whose verified claims are the minted ones', async () => {
    const { token, claims } = await issuer.mint(request, 900, now);
    expect(claims).toEqual<AgentTokenClaims>({ ...request, issuedAt: now / 1000, expiresAt: now / 1000 + 900, tokenId: expect.any(String) });
    expect(await issuer.verify(token, now + 60_000)).toEqual(claims);
  });

  it('leaves the workspace out when none is given and gives each token its own id', async () => {
    const { workspaceId: _workspace, ...organisationWide } = request;
    const first = await issuer.mint(organisationWide, 60, now);
    const second = await issuer.mint(organisationWide, 60, now);
    expect(first.claims.tokenId).not.toBe(second.claims.tokenId);
    const verified = await issuer.verify(first.token, now);
    expect('workspaceId' in verified).toBe(false);
  });

  it('allows 60 minutes and refuses longer, zero or fractional lifetimes', async () => {
    await expect(issuer.mint(request, 3600, now)).resolves.toBeDefined();
    for (const ttl of [3601, 86_400, 0, -5, 1.5]) {
      await expect(issuer.mint(request, ttl, now)).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringContaining('60 minutes') });
    }
  });

  it('refuses to mint with an unknown scope or no scope at all', async () => {
    await expect(issuer.mint({ ...request, scopes: ['admin:everything:write'] }, 60, now)).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(issuer.mint({ ...request, scopes: [] }, 60, now)).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('accepts a token up to its last second and refuses it from its expiry on, with no tolerance', async () => {
    const { token } = await issuer.mint(request, 300, now);
    await expect(issuer.verify(token, now + 299_999)).resolves.toBeDefined();
    expect(await refusal(token, now + 300_000)).toEqual(expect.objectContaining({ code: 'authentication_failed', message: 'The agent token has expired' }));
    expect((await refusal(token, now + 86_400_000)).message).toBe('The agent token has expired');
  });

  it('refuses a token used before it was issued', async () => {
    const { token } = await issuer.mint(request, 300, now);
    expect((await refusal(token, now - 1_000)).message).toBe('The agent token is not valid yet');
  });

  it('refuses a token whose claims were altered (a widened scope) or whose signature was', async () => {
    const { token } = await issuer.mint(request, 300, now);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const widened = `${header}.${encode({ ...claims, scope: '*' })}.${signature}`;
    expect(await refusal(widened)).toMatchObject({ code: 'authentication_failed', message: expect.stringContaining('signature does not match') });
    const flipped = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BA' : 'AA'}`;
    expect((await refusal(flipped)).code).toBe('authentication_failed');
  });

  it('refuses a token signed with another secret, or issued by another issuer', async () => {
    const foreign = createAgentTokenIssuer({ secret: randomBytes(32), issuer: 'switchyard' });
    expect((await refusal((await foreign.mint(request, 300, now)).token)).message).toContain('signature does not match');
    const otherIssuer = createAgentTokenIssuer({ secret, issuer: 'somebody-else' });
    expect((await refusal((await otherIssuer.mint(request, 300, now)).token)).message).toBe('The agent token was issued by another issuer');
  });

  it('refuses alg none and other algorithms, even with the right secret', async () => {
    const claims = { iss: 'switchyard', sub: 'key_abc', jti: 'x', iat: now / 1000, exp: now / 1000 + 300, organisation_id: 'org-a', scope: '*', models: [] };
    const unsigned = `${encode({ alg: 'none', typ: agentTokenType })}.${encode(claims)}.`;
    expect(await refusal(unsigned)).toMatchObject({ code: 'authentication_failed', message: 'The agent token is not signed with HS256' });
    const hs512 = await new SignJWT(claims).setProtectedHeader({ alg: 'HS512', typ: agentTokenType }).sign(secret);
    expect((await refusal(hs512)).message).toBe('The agent token is not signed with HS256');
  });

  it('refuses a JWT that is not an agent token, or lives longer than 60 minutes', async () => {
    const claims = { iss: 'switchyard', sub: 'key_abc', jti: 'x', iat: now / 1000, organisation_id: 'org-a', scope: 'gateway:chat', models: [] };
    const otherType = await new SignJWT({ ...claims, exp: now / 1000 + 300 }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret);
    expect((await refusal(otherType)).message).toBe('The token is not a Switchyard agent token');
    const longLived = await new SignJWT({ ...claims, exp: now / 1000 + 7200 }).setProtectedHeader({ alg: 'HS256', typ: agentTokenType }).sign(secret);
    expect((await refusal(longLived)).message).toBe('The agent token lives longer than 60 minutes');
    const noScope = await new SignJWT({ ...claims, scope: undefined, exp: now / 1000 + 300 }).setProtectedHeader({ alg: 'HS256', typ: agentTokenType }).sign(secret);
    expect((await refusal(noScope)).message).toBe('The agent token lacks the claims of an agent token');
    const unknownScope = await new SignJWT({ ...claims, scope: 'admin:galaxy:write', exp: now / 1000 + 300 }).setProtectedHeader({ alg: 'HS256', typ: agentTokenType }).sign(secret);
    expect((await refusal(unknownScope)).message).toBe('The agent token carries an unknown scope');
  });

  it('refuses malformed input', async () => {
    for (const token of ['', 'not-a-jwt', 'a.b.c', `${'x'.repeat(9000)}`]) {
      expect(await refusal(token)).toMatchObject({ code: 'authentication_failed' });
    }
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => createAgentTokenIssuer({ secret: randomBytes(16), issuer: 'switchyard' })).toThrow(RangeError);
  });
});
