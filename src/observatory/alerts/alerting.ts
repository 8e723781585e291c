import type { Kysely } from 'kysely';
import { ConfigError, resolveSecretReferences } from '../../config/index.js';
import type { AlertsConfig, EventsConfig } from '../../config/alerts-config.js';
import type { Database, DatabaseSchema } from '../../db/index.js';
import type { ChangeBus } from '../../db/change-bus.js';
import type { GovernanceStores } from '../../governance/admin/governance-stores.js';
import type { Clock, Logger } from '../../spec/index.js';
import { cloudEvent, cloudEventTypes, eventSubjects } from '../events/cloud-event.js';
import { DeliveryQueue } from '../events/delivery-queue.js';
import type { EventPublisher } from '../events/event-publisher.js';
import { NatsEventPublisher } from '../events/nats-event-publisher.js';
import { createChannelSender, resolveChannels, type ChannelSender } from '../events/notification-channels.js';
import type { Notification } from '../events/notification.js';
import { RequestEventPublisher } from '../events/request-event-publisher.js';
import type { RequestObserver } from '../request-observer.js';
import { AlertEvaluator } from './alert-evaluator.js';
import { AlertNotifier } from './alert-notifier.js';
import type { AlertAdminDependencies } from './alert-rule-admin.js';
import type { AlertRule } from './alert-rule.js';
import { RequestWindow, type AlertWindow } from './request-window.js';
import { RedisSharedWindow } from './redis-shared-window.js';
import type { Redis } from 'ioredis';
import { SqlAlertStore } from './sql-alert-store.js';

/** The change-bus topic of alert rules: every replica reloads its rules when one changes. */
export const alertRulesTopic = 'alert-rules';

/** What alerting and events are built from. */
export interface AlertingOptions {
  alerts: AlertsConfig;
  events: EventsConfig;
  environment: Record<string, string | undefined>;
  /** The config file's name, for config errors. */
  source: string;
  database: Database;
  /** The governance stores over an executor (the admin use cases write a rule and its audit record together). */
  storesOf(executor: Kysely<DatabaseSchema>): GovernanceStores;
  bus: ChangeBus;
  clock: Clock;
  logger: Logger;
  /**
   * The scaled preset's Redis: rules then judge every replica's requests, not this replica's share (counts
   * are exchanged before each evaluation, see `RedisSharedWindow`).
   */
  shared?: { redis: Redis; keyPrefix: string };
}

/** A budget threshold crossing and whom it was charged to (from the request governor). */
export interface BudgetCrossingReport {
  budgetId: string;
  threshold: number;
  periodStart: number;
  spentMicros: number;
  limitMicros: number;
  keyId?: string;
  teamId?: string;
  workspaceId?: string;
  organisationId?: string;
}

/** Running alerting: its request observers, admin dependencies, and the entry points for other parts. */
export interface Alerting {
  /** Register with the gateway: the alert window, and (when configured) the `llm.requests` publisher. */
  observers: RequestObserver[];
  /** Spread into the admin API's dependencies (absent when alerts are disabled: the routes answer 404). */
  admin?: Pick<AlertAdminDependencies, 'alertUnitOfWork' | 'alertChannelNames' | 'onAlertRulesChanged'>;
  /** Feeds a budget threshold crossing to `budget_threshold` rules and `llm.governance.budget-alert`. */
  budgetCrossed(crossing: BudgetCrossingReport): void;
  /** Publishes an anomaly on `llm.anomalies` (for the sentinel); a no-op without `events.nats`. */
  publishAnomaly(anomaly: Record<string, unknown>, subject?: string): void;
  /**
   * Sends an anomaly incident's notification (sentinel/anomaly) to the default alert channels (webhooks,
   * chat) and publishes its CloudEvent on `llm.anomalies` when NATS is configured.
   */
  notifyAnomaly(notification: Notification): void;
  evaluator?: AlertEvaluator;
  deliveries: DeliveryQueue;
  close(): Promise<void>;
}

function configRules(config: AlertsConfig): AlertRule[] {
  return config.rules.map((rule) => ({ ...rule, createdAt: 0, updatedAt: 0 }));
}

function checkChannelNames(config: AlertsConfig, channels: ReadonlyMap<string, ChannelSender>, source: string): void {
  const problems = [
    ...config.defaultChannels.map((name, index) => ({ path: `alerts.defaultChannels[${index}]`, name })),
    ...config.rules.flatMap((rule, index) => rule.channels.map((name, position) => ({ path: `alerts.rules[${index}].channels[${position}]`, name }))),
  ]
    .filter(({ name }) => !channels.has(name))
    .map(({ path, name }) => ({ source, path, message: `unknown channel "${name}"; configure it under alerts.channels` }));
  if (problems.length > 0) throw new ConfigError(problems);
}

function natsPublisher(events: EventsConfig, environment: Record<string, string | undefined>, source: string, logger: Logger): NatsEventPublisher | undefined {
  if (events.nats === undefined) return undefined;
  const missing: Array<{ path: Array<string | number>; variable: string }> = [];
  const { user, password, token } = resolveSecretReferences({ user: events.nats.user, password: events.nats.password, token: events.nats.token }, environment, ['events', 'nats'], missing) as Record<string, string | undefined>;
  if (missing.length > 0) throw new ConfigError(missing.map((item) => ({ source, path: item.path.join('.'), message: `environment variable ${item.variable} is not set` })));
  return new NatsEventPublisher({ servers: events.nats.servers, user, password, token, stream: events.nats.stream, logger });
}

/**
 * Builds alerting and events: resolves the channels, connects to NATS when configured, loads the rules
 * (config and stored), restores firing alerts, and starts the evaluator. Rules changed through the admin API
 * reach every replica over the change bus.
 */
export async function startAlerting(options: AlertingOptions): Promise<Alerting> {
  const { alerts: config, events, clock, logger } = options;
  const resolved = resolveChannels(config.channels, options.environment, options.source);
  const publisher: EventPublisher | undefined = natsPublisher(events, options.environment, options.source, logger);
  const senders = new Map([...resolved].map(([name, channel]) => [name, createChannelSender(name, channel, { now: () => clock.now(), publisher })]));
  checkChannelNames(config, senders, options.source);
  const deliveries = new DeliveryQueue({ ...config.delivery, capacity: config.delivery.queueSize, sleep: (ms, signal) => clock.sleep(ms, signal), logger });
  const publish = (subject: string, event: ReturnType<typeof cloudEvent>) => {
    if (publisher !== undefined) deliveries.enqueue({ channel: 'events', target: `nats:${subject}`, secrets: [], send: () => publisher.publish(subject, event) });
  };

  const observers: RequestObserver[] = [];
  const requestEvents = publisher !== undefined && events.nats?.publishRequests === true
    ? new RequestEventPublisher({ publisher, source: events.source, flushIntervalMs: events.nats.flushIntervalMs, maxBuffered: events.nats.maxBuffered, logger })
    : undefined;
  if (requestEvents !== undefined) observers.push(requestEvents);

  const window: AlertWindow = options.shared === undefined
    ? new RequestWindow(config.bucketMs)
    : new RedisSharedWindow({ redis: options.shared.redis, keyPrefix: options.shared.keyPrefix, bucketMs: config.bucketMs });
  let evaluator: AlertEvaluator | undefined;
  let admin: Alerting['admin'];
  if (config.enabled) {
    const store = new SqlAlertStore(options.database);
    const notifier = new AlertNotifier({ channels: senders, defaultChannels: config.defaultChannels, queue: deliveries, source: events.source, publisher, logger });
    const running = new AlertEvaluator({ window, store, notify: (notice) => notifier.notify(notice), now: () => clock.now(), intervalMs: config.evaluationIntervalMs, logger });
    const fromConfig = configRules(config);
    const reload = async () => running.setRules([...fromConfig, ...(await store.listRules())]);
    await reload();
    await running.restore();
    options.bus.subscribe(alertRulesTopic, () => void reload().catch((error: Error) => logger.error({ error: error.message }, 'reloading alert rules failed')));
    running.start();
    evaluator = running;
    observers.push({ observe: (row) => window.record(row) });
    const kysely = options.database.kysely;
    admin = {
      alertUnitOfWork: (work) => kysely.transaction().execute((transaction) => work({ ...options.storesOf(transaction), alerts: new SqlAlertStore(transaction) })),
      alertChannelNames: new Set(senders.keys()),
      async onAlertRulesChanged(ruleId) {
        // This replica first, so the caller's next evaluation sees the change; then the others.
        await reload();
        await options.bus.publish(alertRulesTopic, { id: ruleId });
      },
    };
  }

  return {
    observers,
    admin,
    evaluator,
    deliveries,
    budgetCrossed(crossing) {
      const atMs = clock.now();
      window.recordBudgetCrossing({ ...crossing, atMs });
      if (events.nats?.publishBudgetAlerts !== false) {
        publish(eventSubjects.budgetAlerts, cloudEvent({ source: events.source, type: cloudEventTypes.budgetThresholdCrossed, atMs, subject: crossing.budgetId, data: { ...crossing } }));
      }
    },
    notifyAnomaly(notification) {
      for (const name of config.defaultChannels) {
        const sender = senders.get(name);
        if (sender !== undefined) deliveries.enqueue({ channel: name, target: sender.target, secrets: sender.secrets, send: (signal) => sender.send(notification, signal) });
      }
      publish(eventSubjects.anomalies, notification.event);
    },
    publishAnomaly(anomaly, subject) {
      publish(eventSubjects.anomalies, cloudEvent({ source: events.source, type: cloudEventTypes.anomalyDetected, atMs: clock.now(), ...(subject === undefined ? {} : { subject }), data: anomaly }));
    },
    async close() {
      await evaluator?.stop();
      await requestEvents?.close();
      await deliveries.close();
      await publisher?.close();
    },
  };
}
