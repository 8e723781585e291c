import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { z } from 'zod';
import { GatewayError } from '../../spec/gateway-error.js';
import type { AgentTokenClaims, AgentTokenIssuer } from './agent-token.js';
import { isAgentTokenScope } from './token-scopes.js';

/** The longest life an agent token may have: 60 minutes. */
export const maximumAgentTokenTtlSeconds = 3600;

/** The JWT `typ` header of agent tokens, so no other JWT signed with the same secret passes for one. */
export const agentTokenType = 'switchyard-agent+jwt';

const algorithm = 'HS256';
// A JWT far longer than any we mint is not worth parsing.
const maximumTokenLength = 8192;

/** Options of {@link createAgentTokenIssuer}. */
export interface AgentTokenIssuerOptions {
  /** The HS256 secret (at least 32 bytes; see `deriveAgentTokenSigningSecret`). */
  secret: Uint8Array;
  /** The `iss` claim written and required, e.g. `switchyard` or the gateway's public URL. */
  issuer: string;
}

const mintClaimsSchema = z.object({
  subject: z.string().min(1),
  organisationId: z.string().min(1),
  workspaceId: z.string().min(1).optional(),
  scopes: z.array(z.string().refine(isAgentTokenScope, 'unknown scope')).min(1),
  models: z.array(z.string().min(1)),
});

// What a verified token must carry beyond the registered claims jose checks.
const payloadSchema = z.object({
  sub: z.string().min(1),
  jti: z.string().min(1),
  iat: z.number().int(),
  exp: z.number().int(),
  organisation_id: z.string().min(1),
  workspace_id: z.string().min(1).optional(),
  scope: z.string().min(1),
  models: z.array(z.string()),
});

function refused(reason: string): GatewayError {
  return new GatewayError('authentication_failed', reason);
}

// jose's messages are specific already, but they are rewritten so none can ever echo token content.
function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The agent token has expired';
  if (error instanceof errors.JOSEAlgNotAllowed) return `The agent token is not signed with ${algorithm}`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The agent token signature does not match: it was altered or signed with another secret';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'The agent token was issued by another issuer';
    if (error.claim === 'typ') return 'The token is not a Switchyard agent token';
    if (error.claim === 'iat' || error.claim === 'nbf') return 'The agent token is not valid yet';
    return `The agent token lacks a valid "${error.claim}" claim`;
  }
  return 'The agent token is malformed';
}

/**
 * Mints and verifies agent tokens as HS256 JWTs. Lifetimes are 1 to 60 minutes; verification refuses
 * expired tokens with no clock tolerance, altered ones, another issuer's, other algorithms (`none`
 * included) and tokens whose claims are not what this issuer writes. Every refusal is
 * `GatewayError('authentication_failed')` with a reason that never contains the token.
 */
export function createAgentTokenIssuer(options: AgentTokenIssuerOptions): AgentTokenIssuer {
  if (options.secret.length < 32) throw new RangeError('An agent token secret needs at least 32 bytes');
  if (options.issuer === '') throw new RangeError('An agent token issuer needs a name');
  const secret = new Uint8Array(options.secret);
  const { issuer } = options;

  return {
    async mint(claims, ttlSeconds, nowMs) {
      if (!Number.isFinite(nowMs)) throw new RangeError('nowMs must be a finite epoch time in milliseconds');
      if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > maximumAgentTokenTtlSeconds) {
        throw new GatewayError(
          'invalid_request',
          `An agent token lives 1 to ${maximumAgentTokenTtlSeconds} seconds (60 minutes); ${ttlSeconds} seconds were asked`,
          { param: 'ttlSeconds' },
        );
      }
      const parsed = mintClaimsSchema.safeParse(claims);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new GatewayError('invalid_request', `Invalid agent token claims: ${issue.path.join('.')}: ${issue.message}`, { param: issue.path.join('.') });
      }
      const issuedAt = Math.floor(nowMs / 1000);
      const minted: AgentTokenClaims = {
        subject: parsed.data.subject,
        organisationId: parsed.data.organisationId,
        scopes: [...new Set(parsed.data.scopes)],
        models: parsed.data.models,
        issuedAt,
        expiresAt: issuedAt + ttlSeconds,
        tokenId: randomUUID(),
      };
      if (parsed.data.workspaceId !== undefined) minted.workspaceId = parsed.data.workspaceId;
      const payload: JWTPayload = { organisation_id: minted.organisationId, scope: minted.scopes.join(' '), models: minted.models };
      if (minted.workspaceId !== undefined) payload.workspace_id = minted.workspaceId;
      const token = await new SignJWT(payload)
        .setProtectedHeader({ alg: algorithm, typ: agentTokenType })
        .setIssuer(issuer)
        .setSubject(minted.subject)
        .setIssuedAt(minted.issuedAt)
        .setExpirationTime(minted.expiresAt)
        .setJti(minted.tokenId)
        .sign(secret);
      return { token, claims: minted };
    },

    async verify(token, nowMs) {
      if (!Number.isFinite(nowMs)) throw new RangeError('nowMs must be a finite epoch time in milliseconds');
      if (typeof token !== 'string' || token.length === 0 || token.length > maximumTokenLength) throw refused('The agent token is malformed');
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, secret, {
          algorithms: [algorithm],
          issuer,
          typ: agentTokenType,
          currentDate: new Date(nowMs),
          clockTolerance: 0,
          // Also refuses a token issued in the future, and caps the age whatever `exp` says.
          maxTokenAge: maximumAgentTokenTtlSeconds,
          requiredClaims: ['sub', 'jti', 'iat', 'exp'],
        }));
      } catch (error) {
        throw refused(reasonOf(error));
      }
      const parsed = payloadSchema.safeParse(payload);
      if (!parsed.success) throw refused('The agent token lacks the claims of an agent token');
      const claims = parsed.data;
      if (claims.exp - claims.iat > maximumAgentTokenTtlSeconds) throw refused('The agent token lives longer than 60 minutes');
      const scopes = claims.scope.split(' ');
      if (!scopes.every(isAgentTokenScope)) throw refused('The agent token carries an unknown scope');
      const verified: AgentTokenClaims = {
        subject: claims.sub,
        organisationId: claims.organisation_id,
        scopes,
        models: claims.models,
        issuedAt: claims.iat,
        expiresAt: claims.exp,
        tokenId: claims.jti,
      };
      if (claims.workspace_id !== undefined) verified.workspaceId = claims.workspace_id;
      return verified;
    },
  };
}
