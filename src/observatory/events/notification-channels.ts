import { ConfigError, formatPath, resolveSecretReferences, type ConfigProblem } from '../../config/index.js';
import type { NotificationChannelConfig } from '../../config/alerts-config.js';
import { cloudEventContentType } from './cloud-event.js';
import { DeliveryError } from './delivery-queue.js';
import type { EventPublisher } from './event-publisher.js';
import { slackBodyOf, webhookBodyOf, type Notification } from './notification.js';
import { redactUrl } from './redact-url.js';
import { signWebhook, signatureHeader } from './webhook-signature.js';

/** A channel config with its `{ env: NAME }` references replaced by their values. */
export type ResolvedChannelConfig =
  | { kind: 'webhook'; url: string; secret?: string; headers: Record<string, string> }
  | { kind: 'slack'; url: string }
  | { kind: 'cloudevents'; url: string; headers: Record<string, string> }
  | { kind: 'nats'; subject: string };

/** A channel ready to send: its name, a redacted target for logs, what must never be logged, and the sending. */
export interface ChannelSender {
  name: string;
  kind: NotificationChannelConfig['kind'];
  target: string;
  secrets: ReadonlyArray<string>;
  send(notification: Notification, signal: AbortSignal): Promise<void>;
}

/** What senders need from outside: the time (for signatures) and the event publisher (for NATS channels). */
export interface ChannelContext {
  now(): number;
  publisher?: EventPublisher;
}

/**
 * Resolves the `{ env: NAME }` references of the configured channels; a variable that is not set is a
 * config error naming the channel's path (never a value).
 */
export function resolveChannels(channels: Readonly<Record<string, NotificationChannelConfig>>, environment: Record<string, string | undefined>, source: string): Map<string, ResolvedChannelConfig> {
  const problems: ConfigProblem[] = [];
  const resolved = new Map<string, ResolvedChannelConfig>();
  for (const [name, channel] of Object.entries(channels)) {
    const missing: Array<{ path: Array<string | number>; variable: string }> = [];
    const value = resolveSecretReferences(channel, environment, ['alerts', 'channels', name], missing) as ResolvedChannelConfig;
    for (const item of missing) problems.push({ source, path: formatPath(item.path), message: `environment variable ${item.variable} is not set` });
    resolved.set(name, value);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return resolved;
}

/** Builds the sender of one resolved channel. */
export function createChannelSender(name: string, channel: ResolvedChannelConfig, context: ChannelContext): ChannelSender {
  switch (channel.kind) {
    case 'webhook': {
      const secrets = [channel.url, ...(channel.secret === undefined ? [] : [channel.secret]), ...Object.values(channel.headers)];
      return {
        name,
        kind: channel.kind,
        target: redactUrl(channel.url),
        secrets,
        send: (notification, signal) => {
          const body = webhookBodyOf(notification);
          const headers: Record<string, string> = { ...channel.headers, 'content-type': 'application/json' };
          if (channel.secret !== undefined) headers[signatureHeader] = signWebhook(channel.secret, body, context.now());
          return post(channel.url, body, headers, signal);
        },
      };
    }
    case 'slack':
      return { name, kind: channel.kind, target: redactUrl(channel.url), secrets: [channel.url], send: (notification, signal) => post(channel.url, slackBodyOf(notification), { 'content-type': 'application/json' }, signal) };
    case 'cloudevents':
      return {
        name,
        kind: channel.kind,
        target: redactUrl(channel.url),
        secrets: [channel.url, ...Object.values(channel.headers)],
        send: (notification, signal) => post(channel.url, JSON.stringify(notification.event), { ...channel.headers, 'content-type': cloudEventContentType }, signal),
      };
    case 'nats': {
      const subject = channel.subject;
      return {
        name,
        kind: channel.kind,
        target: `nats:${subject}`,
        secrets: [],
        send: async (notification) => {
          if (context.publisher === undefined) throw new DeliveryError('events.nats is not configured', false);
          await context.publisher.publish(subject, notification.event);
        },
      };
    }
  }
}

/** POSTs a body; a 2xx answer is delivered, 408 / 429 / 5xx and network errors are retried, other answers are not. */
async function post(url: string, body: string, headers: Record<string, string>, signal: AbortSignal): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'user-agent': 'switchyard-alerts', ...headers }, body, signal, redirect: 'manual' });
  // The answer's body is not needed; reading it frees the connection for the next delivery.
  await response.arrayBuffer().catch(() => undefined);
  if (response.status >= 200 && response.status < 300) return;
  const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
  throw new DeliveryError(`the receiver answered HTTP ${response.status}`, retryable);
}
