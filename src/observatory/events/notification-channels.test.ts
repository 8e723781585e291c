import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { notificationChannelSchema } from '../../config/alerts-config.js';
import type { Logger } from '../../spec/index.js';
import { alertNotification } from '../alerts/alert-notifier.js';
import { alertRuleFieldsSchema, type Alert, type AlertRule } from '../alerts/alert-rule.js';
import { DeliveryQueue } from './delivery-queue.js';
import { createChannelSender, resolveChannels, type ChannelSender } from './notification-channels.js';
import { redactUrl } from './redact-url.js';
import { cloudEventErrors } from './test-support/cloud-event-validator.js';
import { HttpReceiver } from './test-support/http-receiver.js';
import { verifyWebhookSignature } from './webhook-signature.js';

const firedAt = Date.UTC(2026, 10, 27, 8, 30);
const rule: AlertRule = { ...alertRuleFieldsSchema.parse({ name: 'Upstream errors <gpt-4o>', metric: 'error_rate', threshold: 0.2, severity: 'critical' }), id: 'alr_1', organisationId: 'org_a', createdAt: firedAt, updatedAt: firedAt };
const alert: Alert = { id: 'alt_1', ruleId: 'alr_1', ruleName: rule.name, organisationId: 'org_a', group: 'model:gpt-4o', severity: 'critical', state: 'firing', value: 0.5, threshold: 0.2, message: 'error_rate 50.0 % for model:gpt-4o is above 20.0 %', firedAt };
const notification = alertNotification({ kind: 'firing', alert, rule }, '/switchyard');

interface LogEntry {
  level: string;
  object: Record<string, unknown>;
  message?: string;
}

function recordingLogger(entries: LogEntry[]): Logger {
  const at = (level: string) => (object: Record<string, unknown>, message?: string) => void entries.push({ level, object, message });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
  return logger;
}

describe('notification channels', () => {
  let receiver: HttpReceiver;
  let logs: LogEntry[];
  let queue: DeliveryQueue;

  const sender = (channel: Record<string, unknown>, environment: Record<string, string> = {}): ChannelSender => {
    const resolved = resolveChannels({ test: notificationChannelSchema.parse(channel) }, environment, 'switchyard.yaml').get('test');
    return createChannelSender('test', resolved as NonNullable<typeof resolved>, { now: () => Date.now() });
  };
  const deliver = async (channel: ChannelSender) => {
    queue.enqueue({ channel: channel.name, target: channel.target, secrets: channel.secrets, send: (signal) => channel.send(notification, signal) });
    await queue.idle();
  };

  beforeEach(async () => {
    receiver = await HttpReceiver.start();
    logs = [];
    queue = new DeliveryQueue({ capacity: 10, maxAttempts: 3, initialBackoffMs: 1, maxBackoffMs: 2, timeoutMs: 5000, sleep: async () => undefined, logger: recordingLogger(logs) });
  });
  afterEach(async () => {
    await queue.close();
    await receiver.stop();
  });

  it('signs a webhook so the receiver can verify it, and refuses a changed body, another secret or an old time', async () => {
    await deliver(sender({ kind: 'webhook', url: { env: 'HOOK_URL' }, secret: { env: 'HOOK_SECRET' } }, { HOOK_URL: `${receiver.url}/hooks/alerts`, HOOK_SECRET: 'whsec_test' }));
    const [request] = receiver.received;
    expect(request.path).toBe('/hooks/alerts');
    expect(request.headers['content-type']).toBe('application/json');
    const header = request.headers['switchyard-signature'] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature('whsec_test', header, request.body, Date.now())).toBe('ok');
    expect(verifyWebhookSignature('whsec_other', header, request.body, Date.now())).toBe('mismatch');
    expect(verifyWebhookSignature('whsec_test', header, request.body.replace('0.5', '0.6'), Date.now())).toBe('mismatch');
    expect(verifyWebhookSignature('whsec_test', header, request.body, Date.now() + 600_000)).toBe('expired');
    expect(verifyWebhookSignature('whsec_test', 'garbage', request.body, Date.now())).toBe('malformed');
    expect(JSON.parse(request.body)).toEqual({ id: notification.event.id, type: 'alert.firing', time: '2026-11-27T08:30:00.000Z', data: { alert, rule: expect.objectContaining({ id: 'alr_1', metric: 'error_rate', threshold: 0.2 }) } });
  });

  it('posts Slack-compatible {text, blocks} with markup characters escaped', async () => {
    await deliver(sender({ kind: 'slack', url: `${receiver.url}/services/T000/B000/XXXX` }));
    const body = JSON.parse(receiver.received[0].body) as { text: string; blocks: Array<{ type: string; text?: { type: string; text: string }; elements?: Array<{ type: string; text: string }> }> };
    expect(body.text).toBe(`[FIRING] Upstream errors <gpt-4o>: ${alert.message}`);
    expect(body.blocks.map((block) => block.type)).toEqual(['header', 'section', 'context']);
    expect(body.blocks[0].text).toEqual({ type: 'plain_text', text: '[FIRING] Upstream errors <gpt-4o>', emoji: false });
    expect(body.blocks[1].text).toEqual({ type: 'mrkdwn', text: alert.message });
    expect(body.blocks[2].elements).toContainEqual({ type: 'mrkdwn', text: '*Severity:* critical' });
    expect(body.blocks[2].elements).toContainEqual({ type: 'mrkdwn', text: '*Value:* 50.0 %' });
  });

  it('posts a structured-mode CloudEvent that the CloudEvents 1.0 schema accepts', async () => {
    await deliver(sender({ kind: 'cloudevents', url: `${receiver.url}/events`, headers: { authorization: 'Bearer token-1' } }));
    const [request] = receiver.received;
    expect(request.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
    expect(request.headers.authorization).toBe('Bearer token-1');
    const event = JSON.parse(request.body) as Record<string, unknown>;
    expect(cloudEventErrors(event)).toEqual([]);
    expect(event).toMatchObject({ specversion: '1.0', type: 'dev.switchyard.alert.firing', source: '/switchyard', subject: 'alt_1', time: '2026-11-27T08:30:00.000Z', datacontenttype: 'application/json', data: { alert } });
    // The schema itself is not a rubber stamp.
    expect(cloudEventErrors({ ...event, specversion: undefined, id: '' })).not.toEqual([]);
  });

  it('retries 5xx answers with backoff until delivered', async () => {
    receiver.statuses = [500, 503];
    await deliver(sender({ kind: 'webhook', url: `${receiver.url}/retry` }));
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((request) => request.body)).size).toBe(1);
    expect(queue.stats()).toMatchObject({ delivered: 1, failed: 0 });
  });

  it('gives up on a 4xx at once and logs the failure without the URL token', async () => {
    receiver.statuses = [404];
    const channel = sender({ kind: 'slack', url: `${receiver.url}/services/T000/B000/SECRETTOKEN?token=abc` });
    await deliver(channel);
    expect(receiver.received).toHaveLength(1);
    expect(queue.stats()).toMatchObject({ delivered: 0, failed: 1 });
    const failure = logs.find((entry) => entry.message === 'notification delivery failed');
    expect(failure?.object).toMatchObject({ channel: 'test', attempts: 1, error: 'the receiver answered HTTP 404' });
    expect(JSON.stringify(logs)).not.toContain('SECRETTOKEN');
    expect(JSON.stringify(logs)).not.toContain('token=abc');
    expect(channel.target).toBe(`${receiver.url}/***`);
  });

  it('logs a network failure without the URL after its last attempt', async () => {
    const url = `${receiver.url}/services/SECRETTOKEN`;
    await receiver.stop();
    await deliver(sender({ kind: 'webhook', url }));
    expect(queue.stats()).toMatchObject({ failed: 1 });
    expect(logs.find((entry) => entry.message === 'notification delivery failed')?.object.attempts).toBe(3);
    expect(JSON.stringify(logs)).not.toContain('SECRETTOKEN');
    receiver = await HttpReceiver.start();
  });

  it('names a missing environment variable without showing any value', () => {
    expect(() => resolveChannels({ ops: { kind: 'slack', url: { env: 'NOT_SET_ANYWHERE' } } }, {}, 'switchyard.yaml')).toThrow(/alerts\.channels\.ops\.url.*NOT_SET_ANYWHERE/s);
  });
});

describe('DeliveryQueue', () => {
  it('keeps at most its capacity waiting and drops the oldest', async () => {
    const logs: LogEntry[] = [];
    const queue = new DeliveryQueue({ capacity: 2, concurrency: 1, maxAttempts: 1, initialBackoffMs: 1, maxBackoffMs: 1, timeoutMs: 5000, sleep: async () => undefined, logger: recordingLogger(logs) });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const sent: string[] = [];
    for (const name of ['a', 'b', 'c', 'd']) {
      queue.enqueue({ channel: name, target: name, secrets: [], send: async () => void (await gate, sent.push(name)) });
    }
    expect(queue.stats()).toMatchObject({ queued: 3, dropped: 1 });
    release();
    await queue.idle();
    expect(sent).toEqual(['a', 'c', 'd']);
    expect(logs.find((entry) => entry.message === 'notification dropped')?.object).toMatchObject({ channel: 'b', reason: 'the delivery queue is full' });
  });
});

describe('redactUrl', () => {
  it('keeps only the origin', () => {
    expect(redactUrl('https://hooks.slack.com/services/T0/B0/abc')).toBe('https://hooks.slack.com/***');
    expect(redactUrl('https://user:pass@example.com:8443/?key=1')).toBe('https://example.com:8443/***');
    expect(redactUrl('https://example.com')).toBe('https://example.com');
    expect(redactUrl('not a url')).toBe('(unparseable url)');
  });
});
