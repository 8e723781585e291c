import Fastify, { type FastifyInstance } from 'fastify';
import { KeyCache } from '../../../governance/authentication/key-cache.js';
import { createGovernanceAuthenticator } from '../../../governance/authentication/governance-authenticator.js';
import { hashKey } from '../../../governance/master-key.js';
import { openGovernanceFixture, type GovernanceFixture } from '../../../governance/admin/test-support/sql-governance-fixture.js';
import { registerAdminApi } from '../register-admin-api.js';
import { SqlPayloadStore } from '../../../observatory/payloads/sql-payload-store.js';
import { SqlUsageLedger } from '../../../observatory/sql-usage-ledger.js';
import { SqlAlertStore } from '../../../observatory/alerts/sql-alert-store.js';
import type { AlertAdminDependencies } from '../../../observatory/alerts/alert-rule-admin.js';

export const adminTestMasterKey = 'sk-sy-admin-test-master-key-000000000000000000';

/** A Fastify app with the admin API over the real SQL stores on SQLite, authenticated like the gateway. */
export interface AdminApiApp {
  app: FastifyInstance;
  fixture: GovernanceFixture;
  /** The request explorer's stores, on the same database (tests append rows to them). */
  requests: { ledger: SqlUsageLedger; payloads: SqlPayloadStore };
  /** Sends a request with a key; answers status and parsed JSON. */
  call(key: string | undefined, method: string, url: string, body?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startAdminApiApp(): Promise<AdminApiApp> {
  const fixture = await openGovernanceFixture();
  const now = () => fixture.clock.now;
  const keys = new KeyCache(fixture.stores.identity, now);
  const authenticator = createGovernanceAuthenticator({ masterKeyHash: hashKey(adminTestMasterKey), keys, identity: fixture.stores.identity, tokens: fixture.dependencies.agentTokens, now });
  const onChange = fixture.dependencies.onChange;
  const app = Fastify({ logger: false });
  const requests = { ledger: new SqlUsageLedger(fixture.database), payloads: new SqlPayloadStore(fixture.database) };
  // Alert rules and history in the same database; one configured channel rules may name.
  const alerts: Pick<AlertAdminDependencies, 'alertUnitOfWork' | 'alertChannelNames'> = {
    alertUnitOfWork: (work) => fixture.database.kysely.transaction().execute((transaction) => work({ ...fixture.storesOf(transaction), alerts: new SqlAlertStore(transaction) })),
    alertChannelNames: new Set(['ops']),
  };
  registerAdminApi(app, {
    ...fixture.dependencies,
    requests,
    ...alerts,
    // What the lead wires across replicas: a key change drops the key cache.
    onChange: (topic, id) => {
      if (topic === 'keys') keys.invalidate();
      return onChange(topic, id);
    },
    authenticate: (presentedKey) => authenticator.authenticate(presentedKey),
    version: '0.0.0-test',
  });
  await app.ready();
  return {
    app,
    fixture,
    requests,
    async call(key, method, url, body) {
      const response = await app.inject({
        method: method as 'GET',
        url,
        headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      return { status: response.statusCode, body: response.body === '' ? undefined : JSON.parse(response.body) };
    },
    async close() {
      await app.close();
      await fixture.dispose();
    },
  };
}
