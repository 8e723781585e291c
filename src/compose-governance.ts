import type { Kysely } from 'kysely';
import { GatewayError, type Clock, type Logger } from './spec/index.js';
import type { SwitchyardConfig } from './config/index.js';
import type { Database, DatabaseSchema } from './db/index.js';
import type { ChangeBus } from './db/change-bus.js';
import { MemoryChangeBus } from './db/memory-change-bus.js';
import { RedisChangeBus } from './db/redis-change-bus.js';
import { openRedis, type RedisConnection } from './db/redis-connection.js';
import type { Authenticator } from './governance/authenticator.js';
import { createGovernanceAuthenticator } from './governance/authentication/governance-authenticator.js';
import { KeyCache } from './governance/authentication/key-cache.js';
import type { AdminDependencies, ChangeTopic } from './governance/admin/admin-dependencies.js';
import type { GovernanceStores, UnitOfWork } from './governance/admin/governance-stores.js';
import { SqlAuditLog } from './governance/audit/sql-audit-log.js';
import type { AuditEntry } from './governance/audit/audit-log.js';
import type { BudgetDefinition, BudgetLedger, ThresholdCrossing } from './governance/budgets/budget-ledger.js';
import { MemoryBudgetLedger } from './governance/budgets/memory-budget-ledger.js';
import { RedisBudgetLedger } from './governance/budgets/redis-budget-ledger.js';
import { LeasedBudgetLedger } from './governance/budgets/leased-budget-ledger.js';
import { SqlBudgetStore } from './governance/budgets/sql-budget-store.js';
import { SqlIdentityStore } from './governance/identity/sql-identity-store.js';
import type { RateLimiter } from './governance/limits/rate-limiter.js';
import { MemoryRateLimiter } from './governance/limits/memory-rate-limiter.js';
import { RedisRateLimiter } from './governance/limits/redis-rate-limiter.js';
import { LeasedRateLimiter } from './governance/limits/leased-rate-limiter.js';
import { SqlLimitStore } from './governance/limits/sql-limit-store.js';
import { reportRateLimitRefusals, type RateLimitRefusalListener } from './governance/limits/refusal-reporting-rate-limiter.js';
import { SqlPolicyStore } from './governance/policy/sql-policy-store.js';
import { loadOptionalEncryptionKey } from './governance/secrets/encryption-key.js';
import { SecretCipher } from './governance/secrets/secret-cipher.js';
import { SqlSecretStore } from './governance/secrets/sql-secret-store.js';
import { UnavailableSecretStore } from './governance/secrets/unavailable-secret-store.js';
import { createAgentTokenIssuer } from './governance/tokens/jwt-agent-token-issuer.js';
import { deriveAgentTokenSigningSecret } from './governance/tokens/signing-secret.js';
import type { AgentTokenIssuer } from './governance/tokens/agent-token.js';
import { GovernanceSnapshot } from './gateway/governance/governance-snapshot.js';
import { RequestGovernor, type ServingEstimate } from './gateway/governance/request-governor.js';
import type { GovernedSubject } from './gateway/governance/governance-view.js';
import type { UsageLedger } from './observatory/index.js';

/** What the governance part of the gateway is built from. */
export interface GovernanceOptions {
  config: SwitchyardConfig;
  database: Database;
  usageLedger: UsageLedger;
  masterKeyHash: Buffer;
  environment: Record<string, string | undefined>;
  clock: Clock;
  logger: Logger;
  estimateServing: (model: string) => ServingEstimate;
  /** Told of every rate-limit refusal (the metrics count them). */
  onRateLimitRefused?: RateLimitRefusalListener;
  /** Told of every budget threshold crossing, after the log line and the audit record (alerts and events). */
  onBudgetThresholdCrossed?: (crossing: ThresholdCrossing, subject: GovernedSubject) => void;
}

/** The built governance: the authenticator, the governor, the admin API's dependencies, and shutdown. */
export interface Governance {
  authenticator: Authenticator;
  /** The SQL stores, over the main connection or bound to a transaction. */
  stores: GovernanceStores;
  storesOf(executor: Kysely<DatabaseSchema>): GovernanceStores;
  governor: RequestGovernor;
  admin: AdminDependencies;
  bus: ChangeBus;
  redis?: RedisConnection;
  close(): Promise<void>;
}

/**
 * Builds governance for the configured preset. Embedded: every store in SQLite, limits and budgets exact in
 * process, changes published in process. Scaled: stores in PostgreSQL, limits and budgets in Redis with
 * atomic scripts (exact across replicas), changes on Redis pub/sub so every replica drops its caches.
 */
export async function composeGovernance(options: GovernanceOptions): Promise<Governance> {
  const { config, database, clock, logger } = options;
  const kysely = database.kysely;
  const encryptionKey = loadOptionalEncryptionKey(options.environment);
  const cipher = encryptionKey === undefined ? undefined : new SecretCipher(encryptionKey);
  const storesOf = (executor: Kysely<DatabaseSchema>): GovernanceStores => ({
    identity: new SqlIdentityStore(executor),
    audit: new SqlAuditLog(executor),
    budgets: new SqlBudgetStore(executor),
    limits: new SqlLimitStore(executor),
    policies: new SqlPolicyStore(executor),
    secrets: cipher === undefined ? new UnavailableSecretStore() : new SqlSecretStore(executor, cipher),
  });
  const stores = storesOf(kysely);
  const unitOfWork: UnitOfWork = (work) => kysely.transaction().execute((transaction) => work(storesOf(transaction)));

  const spendLoader = (budget: { scope: 'key' | 'team' | 'workspace' | 'organisation'; scopeId: string }, periodStart: number, periodEnd: number) =>
    options.usageLedger.spentMicros({ kind: budget.scope, id: budget.scopeId }, periodStart, periodEnd);
  // A reservation outlives the longest request, so a slow stream never loses its hold.
  const reservationTtlMs = config.routing.timeouts.totalMs + 60_000;

  // Thresholds crossed when a budget lease is settled in the background go where a request's would.
  const reportLateCrossings = (crossings: ThresholdCrossing[], budgets: ReadonlyArray<BudgetDefinition>) => governor.reportCrossings(crossings, budgets);
  let redis: RedisConnection | undefined;
  let limiter: RateLimiter;
  let budgetLedger: BudgetLedger;
  let bus: ChangeBus;
  if (config.preset === 'scaled') {
    if (config.redis.url === undefined) {
      throw new GatewayError('invalid_request', 'preset "scaled" needs redis.url (SWITCHYARD_REDIS_URL) for limits, budgets and cache invalidation across replicas.');
    }
    redis = await openRedis(config.redis.url, {
      connectionName: 'switchyard',
      onConnectionLost: (error) => logger.error({ error: error.message }, 'Redis connection lost: governed requests get 503 until it is back'),
      onConnectionRestored: () => logger.info({}, 'Redis connection restored'),
    });
    const prefix = `${config.redis.keyPrefix}:`;
    const sharedLimiter = new RedisRateLimiter({ redis: redis.client, keyPrefix: `${config.redis.keyPrefix}:{governance}:limits:` });
    const sharedLedger = new RedisBudgetLedger({ redis: redis.client, keyPrefix: `${config.redis.keyPrefix}:{governance}:budgets:`, loader: spendLoader, reservationTtlMs });
    const leaseMs = config.redis.leaseMs;
    const now = () => clock.now();
    const onLeaseError = (error: Error) => logger.warn({ error: error.message }, 'governance lease');
    // Busy keys are admitted from leases held in memory, so their requests do not wait for Redis (decision 0021).
    limiter = leaseMs === 0 ? sharedLimiter : new LeasedRateLimiter(sharedLimiter, { leaseMs, clock: now, onError: onLeaseError });
    budgetLedger = leaseMs === 0
      ? sharedLedger
      : new LeasedBudgetLedger(sharedLedger, { leaseMs, clock: now, onError: onLeaseError, onCrossings: reportLateCrossings });
    bus = await RedisChangeBus.open({
      publisher: redis.client,
      subscriber: await redis.duplicate('switchyard-subscriber'),
      channelPrefix: prefix,
      onError: (error) => logger.warn({ error: error.message }, 'change bus'),
    });
  } else {
    limiter = new MemoryRateLimiter();
    budgetLedger = new MemoryBudgetLedger({ loader: spendLoader, reservationTtlMs });
    bus = new MemoryChangeBus({ onListenerError: (error) => logger.warn({ error: (error as Error).message }, 'change listener failed') });
  }

  const keys = new KeyCache(stores.identity, () => clock.now());
  const tokens: AgentTokenIssuer = createAgentTokenIssuer({
    secret: deriveAgentTokenSigningSecret({ encryptionKey, masterKeyHash: options.masterKeyHash }),
    issuer: 'switchyard',
  });
  const authenticator = createGovernanceAuthenticator({
    masterKeyHash: options.masterKeyHash,
    keys,
    identity: stores.identity,
    tokens,
    now: () => clock.now(),
    onStoreError: (error) => logger.error({ error: error.message }, 'key store unreachable'),
  });

  const snapshot = new GovernanceSnapshot({
    identity: stores.identity,
    limits: stores.limits,
    budgets: stores.budgets,
    policies: stores.policies,
    config: { llm_config: config.llm_config, workspaces: config.workspaces },
    logger,
  });
  await snapshot.reload();
  const reload = (topic: string) => snapshot.reload(topic).catch((error: Error) => logger.error({ error: error.message }, 'reloading governance definitions failed'));
  // Every replica (this one included) drops what a change makes stale. A resync after a lost connection
  // drops everything, since changes published meanwhile were missed.
  bus.subscribe('*', (topic) => {
    if (topic === 'keys' || topic === '*') keys.invalidate();
    void reload(topic);
  });

  const audit = stores.audit;
  const auditAppend = (entry: AuditEntry) => {
    audit.append(entry, clock.now()).catch((error: Error) => logger.error({ error: error.message }, 'audit append failed'));
  };
  const governor = new RequestGovernor({
    view: snapshot,
    limiter: options.onRateLimitRefused === undefined ? limiter : reportRateLimitRefusals(limiter, options.onRateLimitRefused),
    budgets: budgetLedger,
    estimateServing: options.estimateServing,
    auditDenial: auditAppend,
    onThresholdCrossed: (crossing: ThresholdCrossing, subject: GovernedSubject) => {
      logger.warn({ budgetId: crossing.budgetId, threshold: crossing.threshold, spentMicros: crossing.spentMicros, limitMicros: crossing.limitMicros }, 'budget threshold crossed');
      auditAppend({
        actor: { kind: 'system', id: 'budgets' },
        action: 'budget.threshold',
        target: { kind: 'budget', id: crossing.budgetId },
        organisationId: subject.organisationId,
        workspaceId: subject.workspaceId,
        outcome: 'success',
        details: { threshold: crossing.threshold, spentMicros: crossing.spentMicros, limitMicros: crossing.limitMicros, periodStart: crossing.periodStart },
      });
      options.onBudgetThresholdCrossed?.(crossing, subject);
    },
    clock,
    logger,
    concurrencyLeaseMs: config.routing.timeouts.totalMs + 60_000,
  });

  const admin: AdminDependencies = {
    unitOfWork,
    budgetLedger,
    agentTokens: tokens,
    now: () => clock.now(),
    async onChange(topic: ChangeTopic, id: string) {
      // This replica first, so the caller's next request sees the change; then the others.
      if (topic === 'keys') keys.invalidate();
      await snapshot.reload(topic);
      await bus.publish(topic, { id });
    },
    reportError: (error) => logger.error({ error: (error as Error).message }, 'admin side effect failed'),
  };

  return {
    authenticator,
    stores,
    storesOf,
    governor,
    admin,
    bus,
    redis,
    async close() {
      await bus.close();
      await limiter.close();
      await budgetLedger.close();
      await redis?.close();
    },
  };
}
