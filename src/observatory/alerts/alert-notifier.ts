import type { Logger } from '../../spec/index.js';
import { cloudEvent, cloudEventTypes, eventSubjects } from '../events/cloud-event.js';
import type { DeliveryQueue } from '../events/delivery-queue.js';
import type { EventPublisher } from '../events/event-publisher.js';
import type { ChannelSender } from '../events/notification-channels.js';
import type { Notification } from '../events/notification.js';
import type { AlertNotice } from './alert-evaluator.js';
import { formatMetric } from './metric-value.js';

/** The notification of an alert's firing or resolution: CloudEvent data `{alert, rule}` and a text for people. */
export function alertNotification(notice: AlertNotice, source: string): Notification {
  const { alert, rule } = notice;
  const firing = notice.kind === 'firing';
  const atMs = firing ? alert.firedAt : (alert.resolvedAt ?? alert.firedAt);
  const data = {
    alert,
    rule: { id: rule.id, name: rule.name, metric: rule.metric, scope: rule.scope, comparison: rule.comparison, threshold: rule.threshold, windowMs: rule.windowMs, severity: rule.severity },
  };
  return {
    event: cloudEvent({ source, type: firing ? cloudEventTypes.alertFiring : cloudEventTypes.alertResolved, atMs, subject: alert.id, data }),
    kind: firing ? 'alert.firing' : 'alert.resolved',
    title: `[${firing ? 'FIRING' : 'RESOLVED'}] ${rule.name}`,
    text: firing ? alert.message : `Resolved: ${alert.message}`,
    fields: [
      ['Severity', alert.severity],
      ['Group', alert.group],
      ['Value', formatMetric(rule.metric, alert.value)],
      ['Threshold', `${rule.comparison} ${formatMetric(rule.metric, rule.threshold)}`],
      ['Rule', rule.id],
    ],
  };
}

/** Options of {@link AlertNotifier}. */
export interface AlertNotifierOptions {
  channels: ReadonlyMap<string, ChannelSender>;
  /** Channels of rules that name none. */
  defaultChannels: ReadonlyArray<string>;
  queue: DeliveryQueue;
  /** The events' CloudEvents `source`. */
  source: string;
  /** When set, every alert is also published on `llm.alerts`. */
  publisher?: EventPublisher;
  logger: Logger;
}

/** Sends alert notices to their rule's channels (or the default ones) through the delivery queue. */
export class AlertNotifier {
  constructor(private readonly options: AlertNotifierOptions) {}

  notify(notice: AlertNotice): void {
    const { channels, defaultChannels, queue, source, publisher, logger } = this.options;
    const notification = alertNotification(notice, source);
    const names = notice.rule.channels.length > 0 ? notice.rule.channels : defaultChannels;
    for (const name of names) {
      const sender = channels.get(name);
      if (sender === undefined) {
        logger.warn({ ruleId: notice.rule.id, channel: name }, 'alert rule names a channel that is not configured');
        continue;
      }
      queue.enqueue({ channel: name, target: sender.target, secrets: sender.secrets, send: (signal) => sender.send(notification, signal) });
    }
    if (publisher !== undefined) {
      queue.enqueue({ channel: 'events', target: `nats:${eventSubjects.alerts}`, secrets: [], send: () => publisher.publish(eventSubjects.alerts, notification.event) });
    }
  }
}
