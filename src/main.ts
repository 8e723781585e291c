import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { Logger } from './spec/index.js';
import { loadConfig, type LoadedConfig } from './config/index.js';
import { migrateToLatest, openDatabase, type Database, type DatabaseOptions } from './db/index.js';
import { Gateway } from './gateway/gateway.js';
import { ModelResolver } from './gateway/model-resolver.js';
import { PriceLookup } from './gateway/price-lookup.js';
import { buildProviderSet, type ProviderInstance } from './gateway/provider-set.js';
import { InProcessDeploymentHealth, Router, SharedBreakerState, type Deployment, type ModelGroup } from './gateway/routing/index.js';
import { RedisBreakerStateStore } from './db/redis-breaker-state-store.js';
import { ensureMasterKey, type MasterKeyState } from './governance/master-key.js';
import { createSqlSettingsStore } from './governance/sql-settings-store.js';
import { createHttpServer, type HttpServer } from './http/server.js';
import { systemClock } from './kit/system-clock.js';
import { UpstreamHttpClient } from './kit/upstream-http-client.js';
import { BatchedLedgerWriter, SqlUsageLedger, createGatewayMetrics } from './observatory/index.js';
import { PayloadCapture, SqlPayloadStore, workspacePayloadModes } from './observatory/payloads/index.js';
import { RetentionJob, retentionPolicyOf } from './observatory/retention/index.js';
import { createModelLabelFilter } from './observatory/metrics/model-label-filter.js';
import { readBudgetLines } from './observatory/metrics/budget-lines.js';
import { providerDefinitions } from './providers/registry.js';
import { ModelCatalog } from './registry/index.js';
import { probeUrl } from './kit/probe-url.js';
import { composeGovernance, type Governance } from './compose-governance.js';
import type { ServingEstimate } from './gateway/governance/request-governor.js';
import { composeTracing } from './compose-tracing.js';
import { composeGuardrails } from './compose-guardrails.js';
import { startAlerting, type BudgetCrossingReport } from './observatory/alerts/alerting.js';
import { composeAnomalyDetection, type AnomalyAdministration } from './compose-anomaly.js';
import { HeldOpenDeploymentHealth } from './gateway/routing/held-open-deployment-health.js';
import { registerAnomalyRoutes } from './http/admin/anomaly-routes.js';
import { SqlStoredProviderStore } from './config/sql-stored-provider-store.js';
import { LiveProviderSet } from './gateway/live-provider-set.js';
import { registerProviderAdminRoutes } from './http/admin/provider-routes.js';
import { registerAnalyticsRoutes } from './http/admin/analytics-routes.js';
import { registerDashboardRoute } from './http/dashboard-route.js';
import { SqlAnalytics, listDeploymentStatuses } from './observatory/analytics/index.js';
import { GatewayError } from './spec/index.js';

/** How to start the gateway (the CLI fills it from flags and the environment). */
export interface StartOptions {
  cwd: string;
  environment: Record<string, string | undefined>;
  configFile?: string;
  /** Flag overrides (`--port`, `--host`). */
  overrides?: Array<{ path: string[]; value: unknown }>;
  /** Where the banner goes (stdout by default). */
  print?: (line: string) => void;
}

/** A running gateway. */
export interface RunningGateway {
  url: string;
  app: HttpServer;
  providers: ProviderInstance[];
  masterKey: MasterKeyState;
  database: Database;
  governance: Governance;
  ledger: SqlUsageLedger;
  writer: BatchedLedgerWriter;
  /** Anomaly detection's incidents, remediation and model versions, when `anomaly.enabled` (what the admin routes use). */
  anomaly?: AnomalyAdministration;
  /**
   * Writes everything the observatory has queued (ledger rows, payloads, spans, scores) and evaluates the
   * alert rules once, so a caller (a test, an operator's tool) sees the state as of now without waiting for
   * the timers.
   */
  settle(): Promise<void>;
  /** Stops accepting, lets in-flight requests finish, flushes the ledger, closes the store. */
  close(): Promise<void>;
}

/** The database the config asks for: `database.url`, else `<dataDir>/switchyard.db`. */
export function databaseOptionsOf(loaded: LoadedConfig): DatabaseOptions {
  const url = loaded.config.database.url;
  if (url !== undefined && /^postgres(ql)?:\/\//.test(url)) return { kind: 'postgres', url };
  const file = url !== undefined ? url.replace(/^sqlite:/, '') : resolve(loaded.dataDirectory, 'switchyard.db');
  mkdirSync(resolve(file, '..'), { recursive: true });
  return { kind: 'sqlite', file };
}

/** Opens and migrates the configured store (also used by `switchyard migrate` and `master-key rotate`). */
export async function openStore(loaded: LoadedConfig): Promise<Database> {
  const database = await openDatabase(databaseOptionsOf(loaded));
  await migrateToLatest(database);
  return database;
}

/**
 * The composition root: config -> store -> master key -> providers -> router -> pipeline -> HTTP server.
 */
export async function startGateway(options: StartOptions): Promise<RunningGateway> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const loaded = loadConfig({ file: options.configFile, environment: options.environment, cwd: options.cwd, overrides: options.overrides });
  const { config } = loaded;
  const logger = pino({ level: config.logging.level, base: { service: 'switchyard' } }) as unknown as Logger;
  const clock = systemClock;

  const providers = await buildProviderSet({
    entries: config.providers,
    definitions: providerDefinitions,
    environment: options.environment,
    discovery: config.discoverProviders ? { environment: options.environment, probe: (url) => probeUrl(url, 300) } : undefined,
    source: loaded.file ?? 'configuration',
  });
  const providerMap = new Map(providers.map((instance) => [instance.name, instance]));
  const catalog = ModelCatalog.bundled();
  const groupTable = new Map<string, ModelGroup>();
  const resolver = new ModelResolver({ groups: config.models, providers, catalog, groupTable, source: loaded.file ?? 'configuration' });

  const database = await openStore(loaded);
  const masterKey = await ensureMasterKey(createSqlSettingsStore(database), options.environment.SWITCHYARD_MASTER_KEY);
  const ledger = new SqlUsageLedger(database);
  const prices = new PriceLookup(catalog, providerMap, config.pricing);
  // Model names and deployment ids become metric labels only when configured or in the catalog (bounded).
  const metricLabels = createModelLabelFilter({ catalogModels: catalog.entries().flatMap((entry) => [entry.model, entry.key]), configuredGroups: resolver.configuredGroups(), isProvider: (name) => providerMap.has(name) });
  // `metrics.enabled: false`: nothing is counted and `/metrics` is not served.
  const metrics = config.metrics.enabled ? createGatewayMetrics({ labels: metricLabels }) : undefined;
  // Worked out once per deployment and kept while the provider instance it names is the same one (a provider
  // replaced at run time, say a stored one enabled again with another kind, is worked out afresh).
  const servingEstimates = new WeakMap<Deployment, { instance: ProviderInstance | undefined; estimate: ServingEstimate }>();
  let budgetCrossed: ((crossing: BudgetCrossingReport) => void) | undefined;
  const governance = await composeGovernance({
    onRateLimitRefused: metrics?.countRateLimitRefusal,
    // Alerting starts after governance (it needs the change bus), so crossings reach it through this hook.
    onBudgetThresholdCrossed: (crossing, subject) => budgetCrossed?.({ ...crossing, keyId: subject.keyId, teamId: subject.teamId, workspaceId: subject.workspaceId, organisationId: subject.organisationId }),
    config,
    database,
    usageLedger: ledger,
    masterKeyHash: masterKey.hash,
    environment: options.environment,
    clock,
    logger,
    estimateServing(model) {
      const deployment = resolver.firstDeployment(resolver.resolve(model));
      if (deployment === undefined) throw new GatewayError('model_not_found', `No deployment serves ${model}.`);
      const instance = providerMap.get(deployment.provider);
      const known = servingEstimates.get(deployment);
      if (known !== undefined && known.instance === instance) return known.estimate;
      const entry = instance?.definition.catalogProviders.map((provider) => catalog.lookup(provider, deployment.model)).find((found) => found !== undefined);
      const estimate: ServingEstimate = {
        provider: deployment.provider,
        model: deployment.model,
        selfHosted: instance?.selfHosted ?? false,
        price: prices.priceOf(deployment.provider, deployment.model),
        maxOutputTokens: entry?.maxOutputTokens,
      };
      servingEstimates.set(deployment, { instance, estimate });
      return estimate;
    },
  });
  const writer = new BatchedLedgerWriter({ ledger, intervalMs: config.ledger.flushIntervalMs, logger });
  // Prompts and completions, stored off the response path in the mode each workspace is configured for.
  const payloadStore = new SqlPayloadStore(database);
  const payloadCapture = new PayloadCapture({
    store: payloadStore,
    policy: { mode: config.payloads.mode, maxBytes: config.payloads.maxBytes, workspaceModes: workspacePayloadModes(config.workspaces) },
    workspaceNameOf: async (workspaceId) => (await governance.stores.identity.getWorkspace(workspaceId))?.name,
    intervalMs: config.ledger.flushIntervalMs,
    logger,
  });
  const http = new UpstreamHttpClient({
    connectTimeoutMs: config.routing.timeouts.connectMs,
    headersTimeoutMs: config.routing.timeouts.firstTokenMs,
    idleTimeoutMs: config.routing.timeouts.idleMs,
  });
  const breakerPolicy = { failureThreshold: config.routing.breaker.failureThreshold, cooldownMs: config.routing.breaker.cooldownMs, halfOpenProbes: 1 };
  // Scaled: a breaker that opens on one replica opens on all of them (Redis record + change bus).
  let sharedHealth: SharedBreakerState | undefined;
  if (governance.redis !== undefined) {
    const replicaId = randomUUID();
    sharedHealth = new SharedBreakerState({
      local: new InProcessDeploymentHealth({ breaker: breakerPolicy, clock }),
      store: new RedisBreakerStateStore(governance.redis.client, `${config.redis.keyPrefix}:`, replicaId),
      bus: governance.bus,
      clock,
      replicaId,
      onError: (error) => logger.warn({ error: error.message }, 'shared circuit state'),
    });
    await sharedHealth.start([...groupTable.values()].flatMap((group) => group.deployments.map((deployment) => deployment.id)));
  }
  // Anomaly remediation may hold a deployment's circuit open on top of its own breaker (docs/anomaly-detection.md);
  // without anomaly detection the router reads its breakers directly, with no wrapper on the request path.
  const breakerHealth = sharedHealth ?? new InProcessDeploymentHealth({ breaker: breakerPolicy, clock });
  const heldOpenHealth = config.anomaly.enabled ? new HeldOpenDeploymentHealth(breakerHealth) : undefined;
  const routerHealth = heldOpenHealth ?? breakerHealth;
  const router = new Router({
    groups: groupTable,
    clock,
    health: routerHealth,
    retry: {
      maxRetries: config.routing.maxRetries,
      initialDelayMs: config.routing.initialBackoffMs,
      maxDelayMs: config.routing.maxBackoffMs,
      jitter: 0.25,
      maxRetryAfterMs: config.routing.maxRetryAfterMs,
    },
    breaker: breakerPolicy,
  });
  // Read at scrape time only, never per request.
  metrics?.observeState({
    deployments: () => router.snapshot(),
    writeQueues: { ledger: () => writer.stats(), payloads: () => payloadCapture.stats() },
    budgets: () => readBudgetLines(() => governance.stores.budgets.list(), (definitions, now) => governance.admin.budgetLedger.states(definitions, now), clock.now()),
    onError: (source, error) => logger.warn({ source, error: error.message }, 'a metrics source failed'),
  });
  // Alert rules, notification channels and CloudEvents on NATS JetStream (docs/alerts.md).
  // On the scaled preset rules judge every replica's requests: counts are exchanged through Redis.
  const sharedAlertWindow = governance.redis === undefined ? undefined : { redis: governance.redis.client, keyPrefix: `${config.redis.keyPrefix}:` };
  const alerting = await startAlerting({ alerts: config.alerts, events: config.events, environment: options.environment, source: loaded.file ?? 'configuration', database, storesOf: governance.storesOf, bus: governance.bus, clock, logger, shared: sharedAlertWindow });
  budgetCrossed = alerting.budgetCrossed;
  // Anomaly detection over the gateway's own traffic, with remediation (docs/anomaly-detection.md); `anomaly.enabled`.
  const anomaly = await composeAnomalyDetection({
    config: config.anomaly,
    database,
    ledger,
    groups: groupTable,
    health: heldOpenHealth,
    limits: governance.stores.limits,
    onLimitsChanged: async (limitId) => governance.admin.onChange('limits', limitId),
    audit: governance.stores.audit,
    notify: alerting.notifyAnomaly,
    source: config.events.source,
    clock,
    logger,
  });
  // Request traces, OTLP export and applications' observations (docs/tracing.md); on unless `tracing.enabled: false`.
  const tracing = composeTracing({ config: config.tracing, database, catalog, pricing: config.pricing, environment: options.environment, clock, logger, version: '0.1.0', source: loaded.file ?? 'configuration' });
  const gateway = new Gateway({
    authenticator: governance.authenticator,
    governor: governance.governor,
    // Off (no stage at all) unless `guardrails:` configures a scanner somewhere (docs/guardrails.md).
    guardrails: composeGuardrails({ config, identity: governance.stores.identity, audit: governance.stores.audit, clock, logger }),
    router,
    resolver,
    providers: providerMap,
    http,
    logger,
    clock,
    firstTokenMs: config.routing.timeouts.firstTokenMs,
    tracing: tracing.propagation,
    ledger: writer,
    metrics,
    prices,
    // Payload capture, traces and alert windows register here (see observatory/request-observer.ts).
    observers: [...(payloadCapture.capturesAnything ? [payloadCapture] : []), ...tracing.observers, ...alerting.observers, ...anomaly.observers],
  });
  const app = createHttpServer({
    gateway,
    metrics,
    ledger,
    clock,
    logger,
    bodyLimitBytes: config.server.bodyLimitBytes,
    totalTimeoutMs: config.routing.timeouts.totalMs,
    passthrough: config.routing.passthrough,
    health: () => ({ preset: config.preset, providers: providers.length }),
    adminApi: { ...governance.admin, ...alerting.admin, requests: { ledger, payloads: payloadStore }, authenticate: (key) => governance.authenticator.authenticate(key), version: '0.1.0' },
  });

  // Retention per kind of data (payloads, rows, rollups), in bounded batches; see docs/storage-and-retention.md.
  const retention = new RetentionJob({ ledger, payloads: payloadStore, policy: retentionPolicyOf(config.ledger), clock, batchSize: config.ledger.retention.batchSize, logger });
  void retention.start(config.ledger.retention.intervalMinutes * 60_000);

  // Providers enabled at run time through the admin API (stored, with secret references), on every replica.
  const liveProviders = new LiveProviderSet({ providers: providerMap, resolver, definitions: providerDefinitions });
  const storedProviders = new SqlStoredProviderStore(database);
  const synchroniseProviders = async () => {
    for (const problem of await liveProviders.synchronise(storedProviders, governance.stores.secrets)) {
      logger.warn({ provider: problem.name, problem: problem.message }, 'stored provider not installed');
    }
  };
  await synchroniseProviders();
  governance.bus.subscribe('providers', () => void synchroniseProviders().catch((error: Error) => logger.error({ error: error.message }, 'loading stored providers failed')));
  registerProviderAdminRoutes(app, {
    ...governance.admin,
    authenticate: (key) => governance.authenticator.authenticate(key),
    liveProviders,
    upstream: { http, clock, logger },
    providerUnitOfWork: (work) => database.kysely.transaction().execute((transaction) => work({ ...governance.storesOf(transaction), storedProviders: new SqlStoredProviderStore(transaction) })),
    onProvidersChanged: (name) => governance.bus.publish('providers', { id: name }),
  });
  // The dashboard's data (aggregates, deployment health) and its built files at /ui (docs/dashboard.md).
  registerAnalyticsRoutes(app, {
    ...governance.admin,
    authenticate: (key) => governance.authenticator.authenticate(key),
    analytics: new SqlAnalytics(database),
    deployments: () => listDeploymentStatuses({ groups: () => groupTable.values(), snapshot: () => router.snapshot() }),
  });
  tracing.registerRoutes(app, { ...governance.admin, authenticate: (key) => governance.authenticator.authenticate(key) });
  if (anomaly.admin !== undefined) registerAnomalyRoutes(app, { ...governance.admin, authenticate: (key) => governance.authenticator.authenticate(key), anomaly: anomaly.admin });
  if (config.dashboard.enabled) {
    registerDashboardRoute(app, { directory: resolve(options.cwd, config.dashboard.directory ?? fileURLToPath(new URL('../dist/web', import.meta.url))) });
  }

  const connections = trackKeepAliveConnections(app);
  const address = await app.listen({ host: config.server.host, port: config.server.port });
  const url = address.replace('[::1]', 'localhost');
  printBanner(print, url, loaded, providers, masterKey);
  let closing: Promise<void> | undefined;
  return {
    url,
    app,
    providers,
    masterKey,
    database,
    governance,
    ledger,
    writer,
    anomaly: anomaly.admin,
    async settle() {
      await writer.flush();
      await Promise.all([payloadCapture.flush(), tracing.tracer?.flush()]);
      await alerting.evaluator?.evaluate();
      await anomaly.evaluate();
    },
    close() {
      closing ??= (async () => {
        const retentionStopped = retention.stop();
        const closed = app.close();
        connections.closeWhenIdle();
        await closed;
        await writer.close();
        await anomaly.close();
        await alerting.close();
        await tracing.close();
        await payloadCapture.close();
        await retentionStopped;
        await sharedHealth?.close();
        await governance.close();
        await http.close();
        await database.close();
      })();
      return closing;
    },
  };
}

/**
 * Node's `server.close()` waits for every connection to end, and Fastify closes only the keep-alive
 * connections that are idle at that moment. A connection whose request is still in flight goes idle later
 * and would then hold the shutdown for the whole keep-alive timeout (75 s). So once closing starts, each
 * connection is closed as soon as its response has been sent.
 */
function trackKeepAliveConnections(app: HttpServer): { closeWhenIdle(): void } {
  let closing = false;
  const closeIdle = () => setImmediate(() => app.server.closeIdleConnections());
  // One shared listener (no closure per request): this runs on the hot path.
  const onResponseClose = () => {
    if (closing) closeIdle();
  };
  app.server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
    response.once('close', onResponseClose);
  });
  return {
    closeWhenIdle() {
      closing = true;
      closeIdle();
    },
  };
}

/** Prints the start banner in one write, so a reader of the output never sees half of it. */
function printBanner(printOnce: (text: string) => void, url: string, loaded: LoadedConfig, providers: ProviderInstance[], masterKey: MasterKeyState): void {
  const lines: string[] = [];
  const print = (line: string) => lines.push(line);
  print(`Switchyard listening on ${url} (preset ${loaded.config.preset}${loaded.file ? `, config ${loaded.file}` : ''})`);
  print(`  OpenAI API:    ${url}/v1/chat/completions, /v1/embeddings, /v1/models`);
  print(`  Anthropic API: ${url}/v1/messages`);
  if (loaded.config.dashboard.enabled) print(`  Dashboard:     ${url}/ui (log in with the master key or an admin key)`);
  if (masterKey.createdKey !== undefined) {
    print('');
    print(`  Master key (shown once, only its hash is stored): ${masterKey.createdKey}`);
    print('  Use it as the API key of any OpenAI or Anthropic client. Lost it? `switchyard master-key rotate`.');
    print('');
  } else {
    print(`  Master key: ${masterKey.source === 'environment' ? 'from SWITCHYARD_MASTER_KEY' : 'stored hash (set SWITCHYARD_MASTER_KEY, or `switchyard master-key rotate`)'}`);
  }
  if (providers.length === 0) {
    print('  No provider configured yet. Add one and restart, for example:');
    print('    OPENAI_API_KEY=sk-... npm start        (also ANTHROPIC_API_KEY, GEMINI_API_KEY,');
    print('    AZURE_OPENAI_API_KEY + AZURE_OPENAI_ENDPOINT, OLLAMA_HOST, or providers: in switchyard.yaml)');
  } else {
    for (const instance of providers) {
      print(`  Provider ${instance.name} (${instance.definition.kind}, from ${instance.origin}): models as ${instance.name}/<model>`);
    }
  }
  printOnce(lines.join('\n'));
}
