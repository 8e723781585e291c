export type { IdentityStore, VirtualKeyPatch } from './identity-store.js';
export type {
  KeyOwner,
  KeySecret,
  LlmSettings,
  Organisation,
  Role,
  RoleBinding,
  RoleScope,
  ServiceAccount,
  Team,
  User,
  VirtualKey,
  Workspace,
} from './identity-types.js';
export { judgeKey } from './key-verdict.js';
export { SqlIdentityStore } from './sql-identity-store.js';
export { generateVirtualKey, hashVirtualKey, idPrefixes, newId, visiblePrefixLength, type IdentityKind, type VirtualKeyMaterial } from './virtual-key-material.js';
export { defaultOrganisationId, defaultWorkspaceId } from '../../db/migrations/0002-identity.js';
