import type { Migration } from 'kysely/migration';
import { payloadsAndRollupsMigration } from './0011-payloads-and-rollups.js';
import { ledgerGuardrailsMigration } from './0012-ledger-guardrails.js';
import { initialMigration } from './0001-initial.js';
import { identityMigration } from './0002-identity.js';
import { auditAndSecretsMigration } from './0003-audit-and-secrets.js';
import { budgetsMigration } from './0004-budgets.js';
import { rateLimitsMigration } from './0005-rate-limits.js';
import { policiesMigration } from './0006-policies.js';
import { ledgerScopesMigration } from './0007-ledger-scopes.js';
import { storedProvidersMigration } from './0008-stored-providers.js';
import { tracesMigration } from './0010-traces.js';
import { alertsMigration } from './0009-alerts.js';
import { anomalyModelsMigration } from './0013-anomaly-models.js';
import { ledgerTraceTimelineMigration } from './0014-ledger-trace-timeline.js';
import { traceListIndexesMigration } from './0015-trace-list-indexes.js';
import { searchIndexDeleteMergeMigration } from './0016-search-index-delete-merge.js';
import { alertFiresOnceMigration } from './0017-alert-fires-once.js';
import { searchIndexMergeWidthMigration } from './0018-search-index-merge-width.js';
import { searchIndexWithoutPositionsMigration } from './0019-search-index-without-positions.js';

/**
 * Every migration, by name, in order. A static list rather than a folder scan so that the built `dist`
 * (and any bundle) carries them. Add new ones as `NNNN-name.ts` and list them here.
 */
export const migrations: Record<string, Migration> = {
  '0001-initial': initialMigration,
  '0002-identity': identityMigration,
  '0003-audit-and-secrets': auditAndSecretsMigration,
  '0004-budgets': budgetsMigration,
  '0005-rate-limits': rateLimitsMigration,
  '0006-policies': policiesMigration,
  '0007-ledger-scopes': ledgerScopesMigration,
  '0008-stored-providers': storedProvidersMigration,
  '0009-alerts': alertsMigration,
  '0010-traces': tracesMigration,
  '0011-payloads-and-rollups': payloadsAndRollupsMigration,
  '0012-ledger-guardrails': ledgerGuardrailsMigration,
  '0013-anomaly-models': anomalyModelsMigration,
  '0014-ledger-trace-timeline': ledgerTraceTimelineMigration,
  '0015-trace-list-indexes': traceListIndexesMigration,
  '0016-search-index-delete-merge': searchIndexDeleteMergeMigration,
  '0017-alert-fires-once': alertFiresOnceMigration,
  '0018-search-index-merge-width': searchIndexMergeWidthMigration,
  '0019-search-index-without-positions': searchIndexWithoutPositionsMigration,
};
