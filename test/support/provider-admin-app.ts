import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { SqlStoredProviderStore } from '../../src/config/sql-stored-provider-store.js';
import { openGovernanceFixture, sqlGovernanceStores, type GovernanceFixture } from '../../src/governance/admin/test-support/sql-governance-fixture.js';
import { KeyCache } from '../../src/governance/authentication/key-cache.js';
import { createGovernanceAuthenticator } from '../../src/governance/authentication/governance-authenticator.js';
import { hashKey } from '../../src/governance/master-key.js';
import { EncryptionKey } from '../../src/governance/secrets/encryption-key.js';
import { SecretCipher } from '../../src/governance/secrets/secret-cipher.js';
import { LiveProviderSet } from '../../src/gateway/live-provider-set.js';
import { ModelResolver } from '../../src/gateway/model-resolver.js';
import { buildProviderSet, type ProviderInstance } from '../../src/gateway/provider-set.js';
import type { ModelGroup } from '../../src/gateway/routing/index.js';
import { registerProviderAdminRoutes } from '../../src/http/admin/provider-routes.js';
import { systemClock } from '../../src/kit/system-clock.js';
import { UpstreamHttpClient } from '../../src/kit/upstream-http-client.js';
import { providerDefinitions } from '../../src/providers/registry.js';
import { ModelCatalog } from '../../src/registry/index.js';
import type { Logger } from '../../src/spec/index.js';

export const providerAdminMasterKey = 'sk-sy-provider-admin-master-key-00000000000000';

/**
 * The provider admin routes on their own Fastify app, over the real SQL stores (SQLite) and the same
 * provider map, resolver and live set the gateway builds in main.ts. One provider, `configured`, comes
 * from "the file" (an openai-compatible entry), so name conflicts can be tried.
 */
export interface ProviderAdminApp {
  app: FastifyInstance;
  fixture: GovernanceFixture;
  providers: Map<string, ProviderInstance>;
  resolver: ModelResolver;
  live: LiveProviderSet;
  http: UpstreamHttpClient;
  /** Sends a request with a key; answers status, parsed JSON (or the raw text) and the content type. */
  call(key: string | undefined, method: string, url: string, body?: unknown): Promise<{ status: number; body: any; text: string; contentType: string | undefined }>;
  close(): Promise<void>;
}

export async function startProviderAdminApp(): Promise<ProviderAdminApp> {
  const fixture = await openGovernanceFixture();
  // The same key bytes as the fixture's cipher, so secrets written through the fixture's stores open here.
  const cipher = new SecretCipher(new EncryptionKey(Buffer.alloc(32, 7)));
  const configured = await buildProviderSet({
    entries: [{ kind: 'openai-compatible', name: 'configured', baseUrl: 'http://127.0.0.1:9/v1' }],
    definitions: providerDefinitions,
    discovery: undefined,
    environment: {},
    source: 'switchyard.yaml',
  });
  const providers = new Map(configured.map((instance) => [instance.name, instance]));
  const resolver = new ModelResolver({ groups: [], providers: configured, catalog: ModelCatalog.bundled(), groupTable: new Map<string, ModelGroup>(), source: 'switchyard.yaml' });
  const live = new LiveProviderSet({ providers, resolver, definitions: providerDefinitions });
  const http = new UpstreamHttpClient({ connectTimeoutMs: 2_000, headersTimeoutMs: 5_000, idleTimeoutMs: 5_000 });
  const now = () => fixture.clock.now;
  const authenticator = createGovernanceAuthenticator({
    masterKeyHash: hashKey(providerAdminMasterKey),
    keys: new KeyCache(fixture.stores.identity, now),
    identity: fixture.stores.identity,
    tokens: fixture.dependencies.agentTokens,
    now,
  });
  const app = Fastify({ logger: false });
  registerProviderAdminRoutes(app, {
    ...fixture.dependencies,
    providerUnitOfWork: (work) =>
      fixture.database.kysely.transaction().execute((transaction) => work({ ...sqlGovernanceStores(transaction, cipher), storedProviders: new SqlStoredProviderStore(transaction) })),
    liveProviders: live,
    authenticate: (presentedKey) => authenticator.authenticate(presentedKey),
    upstream: { http, clock: systemClock, logger: pino({ level: 'silent' }) as unknown as Logger },
  });
  await app.ready();
  return {
    app,
    fixture,
    providers,
    resolver,
    live,
    http,
    async call(key, method, url, body) {
      const response = await app.inject({
        method: method as 'GET',
        url,
        headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      let parsed: unknown;
      try {
        parsed = response.body === '' ? undefined : JSON.parse(response.body);
      } catch {
        parsed = undefined;
      }
      return { status: response.statusCode, body: parsed, text: response.body, contentType: response.headers['content-type'] as string | undefined };
    },
    async close() {
      await app.close();
      await http.close();
      await fixture.dispose();
    },
  };
}
