import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { migrateToLatest, openDatabase, type Database } from '../../../db/index.js';
import type { DatabaseSchema } from '../../../db/schema.js';
import { SqlAuditLog } from '../../audit/sql-audit-log.js';
import { MemoryBudgetLedger } from '../../budgets/memory-budget-ledger.js';
import { SqlBudgetStore } from '../../budgets/sql-budget-store.js';
import { SqlIdentityStore } from '../../identity/sql-identity-store.js';
import { SqlLimitStore } from '../../limits/sql-limit-store.js';
import { SqlPolicyStore } from '../../policy/sql-policy-store.js';
import { keyPrincipalOf, type Principal } from '../../principal.js';
import { EncryptionKey } from '../../secrets/encryption-key.js';
import { SecretCipher } from '../../secrets/secret-cipher.js';
import { SqlSecretStore } from '../../secrets/sql-secret-store.js';
import { createAgentTokenIssuer } from '../../tokens/jwt-agent-token-issuer.js';
import type { VirtualKey } from '../../identity/identity-types.js';
import { masterPrincipal } from '../../authenticator.js';
import type { AdminCall, AdminDependencies, ChangeTopic } from '../admin-dependencies.js';
import type { GovernanceStores, UnitOfWork } from '../governance-stores.js';

/** Every SQL store bound to one Kysely instance or transaction. */
export function sqlGovernanceStores(kysely: Kysely<DatabaseSchema>, cipher: SecretCipher): GovernanceStores {
  return {
    identity: new SqlIdentityStore(kysely),
    audit: new SqlAuditLog(kysely),
    budgets: new SqlBudgetStore(kysely),
    limits: new SqlLimitStore(kysely),
    policies: new SqlPolicyStore(kysely),
    secrets: new SqlSecretStore(kysely, cipher),
  };
}

/** The admin use cases over the real SQL stores on a fresh SQLite file, with a clock the test moves. */
export interface GovernanceFixture {
  database: Database;
  dependencies: AdminDependencies;
  /** Stores outside any transaction, to look at what was written. */
  stores: GovernanceStores;
  /** The stores over an executor (a transaction), for units of work that bind more stores. */
  storesOf(executor: Kysely<DatabaseSchema>): GovernanceStores;
  /** Change notices sent, in order. */
  changes: Array<{ topic: ChangeTopic; id: string }>;
  clock: { now: number };
  master: AdminCall;
  dispose(): Promise<void>;
}

export async function openGovernanceFixture(): Promise<GovernanceFixture> {
  const folder = mkdtempSync(join(tmpdir(), 'switchyard-admin-'));
  const database = await openDatabase({ kind: 'sqlite', file: join(folder, 'admin.db') });
  await migrateToLatest(database);
  const cipher = new SecretCipher(new EncryptionKey(Buffer.alloc(32, 7)));
  const unitOfWork: UnitOfWork = (work) => database.kysely.transaction().execute((transaction) => work(sqlGovernanceStores(transaction, cipher)));
  const clock = { now: Date.UTC(2025, 5, 2, 12, 0, 0) };
  const changes: GovernanceFixture['changes'] = [];
  const dependencies: AdminDependencies = {
    unitOfWork,
    budgetLedger: new MemoryBudgetLedger(),
    agentTokens: createAgentTokenIssuer({ secret: Buffer.alloc(32, 9), issuer: 'switchyard-test' }),
    now: () => clock.now,
    onChange: (topic, id) => void changes.push({ topic, id }),
  };
  return {
    database,
    dependencies,
    stores: sqlGovernanceStores(database.kysely, cipher),
    storesOf: (executor) => sqlGovernanceStores(executor, cipher),
    changes,
    clock,
    master: { principal: masterPrincipal },
    dispose: async () => {
      await database.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** The principal a stored key authenticates as (what the governance authenticator builds). */
export const keyPrincipal = keyPrincipalOf;

/** A call by a principal. */
export function callBy(principal: Principal): AdminCall {
  return { principal, requestId: 'req_test' };
}
