export type { AuditActor, AuditEntry, AuditLog, AuditRecord, AuditVerification } from './audit-log.js';
export { computeAuditHash, genesisAuditHash } from './audit-hash.js';
export { canonicalJson } from './canonical-json.js';
export { SqlAuditLog, type AuditLogExecutor } from './sql-audit-log.js';
export { verifyAuditChain, type AuditChainSource } from './verify-audit-chain.js';
