import { mkdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { pino } from 'pino';
import type { Logger } from './spec/index.js';
import { loadConfig, type LoadedConfig } from './config/index.js';
import { migrateToLatest, openDatabase, type Database, type DatabaseOptions } from './db/index.js';
import { Gateway } from './gateway/gateway.js';
import { ModelResolver } from './gateway/model-resolver.js';
import { PriceLookup } from './gateway/price-lookup.js';
import { buildProviderSet, type ProviderInstance } from './gateway/provider-set.js';
import { Router, type ModelGroup } from './gateway/routing/index.js';
import { createMasterKeyAuthenticator } from './governance/authenticator.js';
import { ensureMasterKey, type MasterKeyState } from './governance/master-key.js';
import { createSqlSettingsStore } from './governance/sql-settings-store.js';
import { createHttpServer, type HttpServer } from './http/server.js';
import { systemClock } from './kit/system-clock.js';
import { UpstreamHttpClient } from './kit/upstream-http-client.js';
import { BatchedLedgerWriter, SqlUsageLedger, createGatewayMetrics } from './observatory/index.js';
import { providerDefinitions } from './providers/registry.js';
import { ModelCatalog } from './registry/index.js';
import { probeUrl } from './kit/probe-url.js';

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
  ledger: SqlUsageLedger;
  writer: BatchedLedgerWriter;
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
  const writer = new BatchedLedgerWriter({ ledger, intervalMs: config.ledger.flushIntervalMs, logger });
  const metrics = createGatewayMetrics();
  const http = new UpstreamHttpClient({
    connectTimeoutMs: config.routing.timeouts.connectMs,
    headersTimeoutMs: config.routing.timeouts.firstTokenMs,
    idleTimeoutMs: config.routing.timeouts.idleMs,
  });
  const router = new Router({
    groups: groupTable,
    clock,
    retry: {
      maxRetries: config.routing.maxRetries,
      initialDelayMs: config.routing.initialBackoffMs,
      maxDelayMs: config.routing.maxBackoffMs,
      jitter: 0.25,
      maxRetryAfterMs: config.routing.maxRetryAfterMs,
    },
    breaker: { failureThreshold: config.routing.breaker.failureThreshold, cooldownMs: config.routing.breaker.cooldownMs, halfOpenProbes: 1 },
  });
  const gateway = new Gateway({
    authenticator: createMasterKeyAuthenticator(masterKey.hash),
    router,
    resolver,
    providers: providerMap,
    http,
    logger,
    clock,
    firstTokenMs: config.routing.timeouts.firstTokenMs,
    ledger: writer,
    metrics,
    prices: new PriceLookup(catalog, providerMap, config.pricing),
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
  });

  // Retention: usage rows older than the configured days go; the daily rollups stay.
  const retentionMs = config.ledger.retentionDays * 86_400_000;
  const prune = () => ledger.prune(clock.now() - retentionMs).catch((error: Error) => logger.warn({ error: error.message }, 'ledger retention failed'));
  void prune();
  const retentionTimer = setInterval(prune, 6 * 3_600_000);
  retentionTimer.unref();

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
    ledger,
    writer,
    close() {
      closing ??= (async () => {
        clearInterval(retentionTimer);
        const closed = app.close();
        connections.closeWhenIdle();
        await closed;
        await writer.close();
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

function printBanner(print: (line: string) => void, url: string, loaded: LoadedConfig, providers: ProviderInstance[], masterKey: MasterKeyState): void {
  print(`Switchyard listening on ${url} (preset ${loaded.config.preset}${loaded.file ? `, config ${loaded.file}` : ''})`);
  print(`  OpenAI API:    ${url}/v1/chat/completions, /v1/embeddings, /v1/models`);
  print(`  Anthropic API: ${url}/v1/messages`);
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
}
