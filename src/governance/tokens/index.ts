export type { AgentTokenClaims, AgentTokenIssuer } from './agent-token.js';
export { agentTokenType, createAgentTokenIssuer, maximumAgentTokenTtlSeconds, type AgentTokenIssuerOptions } from './jwt-agent-token-issuer.js';
export { narrowScopes } from './narrow-scopes.js';
export { deriveAgentTokenSigningSecret, type SigningSecretSource } from './signing-secret.js';
export { agentTokenScopes, isAgentTokenScope, scopesAllow } from './token-scopes.js';
