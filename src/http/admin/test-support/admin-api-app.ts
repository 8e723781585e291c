import Fastify, { type FastifyInstance } from 'fastify';
import { KeyCache } from '../../../governance/authentication/key-cache.js';
import { createGovernanceAuthenticator } from '../../../governance/authentication/governance-authenticator.js';
import { hashKey } from '../../../governance/master-key.js';
import { openGovernanceFixture, type GovernanceFixture } from '../../../governance/admin/test-support/sql-governance-fixture.js';
import { registerAdminApi } from '../register-admin-api.js';

export const adminTestMasterKey = 'sk-sy-admin-test-master-key-000000000000000000';

/** A Fastify app with the admin API over the real SQL stores on SQLite, authenticated like the gateway. */
export interface AdminApiApp {
  app: FastifyInstance;
  fixture: GovernanceFixture;
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
  registerAdminApi(app, {
    ...fixture.dependencies,
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
