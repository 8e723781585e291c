import { ConfigError, formatPath, resolveSecretReferences, type PriceOverride } from './config/index.js';
import type { TracingConfig } from './config/tracing-config.js';
import type { Database } from './db/index.js';
import type { AdminDependencies } from './governance/admin/admin-dependencies.js';
import type { Principal } from './governance/principal.js';
import { registerTraceAdminRoutes } from './http/admin/trace-routes.js';
import { registerTraceIngestionRoutes } from './http/trace-ingestion-routes.js';
import { catalogPricing, createOtlpSender, SqlTraceStore, TracePropagation, Tracer, type TraceStore } from './observatory/tracing/index.js';
import type { RequestObserver } from './observatory/index.js';
import type { ModelCatalog } from './registry/index.js';
import type { Clock, Logger } from './spec/index.js';

/** What tracing is built from. */
export interface TracingOptions {
  config: TracingConfig;
  database: Database;
  catalog: ModelCatalog;
  /** The config's price overrides, also applied to the models applications report. */
  pricing: Record<string, PriceOverride>;
  environment: Record<string, string | undefined>;
  clock: Clock;
  logger: Logger;
  version: string;
  /** Where the config came from, for error messages. */
  source: string;
}

/** Tracing as the composition root uses it; everything is inert when `tracing.enabled` is false. */
export interface Tracing {
  /** For the gateway: puts a `traceparent` on provider calls and the trace on ledger rows (undefined when tracing is off). */
  propagation?: TracePropagation;
  /** For the gateway's `observers`. */
  observers: RequestObserver[];
  tracer?: Tracer;
  store?: TraceStore;
  /** Mounts `/v1/observations`, `/v1/traces` and the admin trace routes (nothing when tracing is off). */
  registerRoutes(app: Parameters<typeof registerTraceAdminRoutes>[0], admin: AdminDependencies & { authenticate(key: string | undefined): Principal | Promise<Principal> }): void;
  /** Stops retention and writes and exports what is queued. */
  close(): Promise<void>;
}

/** Builds tracing from `tracing:` in the config (see docs/tracing.md). */
export function composeTracing(options: TracingOptions): Tracing {
  const { config, clock, logger } = options;
  if (!config.enabled) return { observers: [], registerRoutes: () => undefined, close: async () => undefined };
  const store = config.store ? new SqlTraceStore(options.database) : undefined;
  let send: ((spans: Parameters<ReturnType<typeof createOtlpSender>>[0]) => Promise<void>) | undefined;
  if (config.otlp !== undefined) {
    const missing: Array<{ path: Array<string | number>; variable: string }> = [];
    const headers = resolveSecretReferences(config.otlp.headers, options.environment, ['tracing', 'otlp', 'headers'], missing) as Record<string, string>;
    if (missing.length > 0) {
      throw new ConfigError(missing.map((problem) => ({ source: options.source, path: formatPath(problem.path), message: `the environment variable ${problem.variable} is not set` })));
    }
    send = createOtlpSender({ endpoint: config.otlp.endpoint, headers, timeoutMs: config.otlp.timeoutMs, resource: { 'service.name': config.serviceName, 'service.version': options.version }, version: options.version, logger });
  }
  const sampleRatio = config.otlp?.samplingRatio ?? 1;
  const tracer = new Tracer({ store, export: send, sampleRatio, scoreRules: config.scoreRules, clock, logger, intervalMs: config.flushIntervalMs });
  const pricing = catalogPricing(options.catalog.withOverrides(options.pricing));
  // Retention: applications' spans (and scores) older than the configured days go, hourly, in batches of 5,000
  // spans. The gateway's own spans are derived from ledger rows and go with them (the ledger's retention).
  const prune = async () => {
    if (store === undefined) return;
    try {
      const before = clock.now() - config.retentionDays * 86_400_000;
      while ((await store.prune(before, 5_000)) >= 5_000) await new Promise((resolve) => setImmediate(resolve));
    } catch (error) {
      logger.warn({ error: (error as Error).message }, 'trace retention failed');
    }
  };
  const retentionTimer = store === undefined ? undefined : setInterval(prune, 3_600_000);
  retentionTimer?.unref();
  void prune();
  return {
    propagation: new TracePropagation(sampleRatio),
    // The ledger rows carry the requests' traces; the tracer only watches them to score and to export.
    observers: send !== undefined || config.scoreRules.length > 0 ? [tracer] : [],
    tracer,
    store,
    registerRoutes(app, admin) {
      const dependencies = { ...admin, traces: store ?? emptyTraceStore, ingest: (spans: Parameters<Tracer['ingest']>[0]) => tracer.ingest(spans), pricing };
      registerTraceIngestionRoutes(app, dependencies);
      registerTraceAdminRoutes(app, dependencies);
    },
    async close() {
      if (retentionTimer !== undefined) clearInterval(retentionTimer);
      await tracer.close();
    },
  };
}

// With `tracing.store: false` spans are only exported: reads find nothing.
const emptyTraceStore: TraceStore = {
  appendSpans: async () => undefined,
  addScore: async () => undefined,
  listTraces: async () => ({ traces: [] }),
  getTrace: async () => undefined,
  prune: async () => 0,
};
