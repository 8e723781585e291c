import type { CloudEvent } from './cloud-event.js';

/** What every channel renders: one CloudEvent, and the same thing for people. */
export interface Notification {
  /** The event; its `data` is the payload of the webhook and CloudEvents channels. */
  event: CloudEvent<Record<string, unknown>>;
  /** The generic webhook's `type`: `alert.firing`, `alert.resolved`. */
  kind: string;
  /** One line: `[FIRING] High error rate`. */
  title: string;
  /** The message. */
  text: string;
  /** Label / value pairs shown under the message in chat channels. */
  fields: ReadonlyArray<readonly [string, string]>;
}

/** The body of the generic webhook: the notification's kind, id and time, and the event's data. */
export function webhookBodyOf(notification: Notification): string {
  return JSON.stringify({ id: notification.event.id, type: notification.kind, time: notification.event.time, data: notification.event.data });
}

/** A Slack incoming-webhook body: `text` (the fallback and the notification) and Block Kit `blocks`. */
export function slackBodyOf(notification: Notification): string {
  return JSON.stringify({
    text: `${notification.title}: ${notification.text}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: notification.title.slice(0, 150), emoji: false } },
      { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(notification.text) } },
      { type: 'context', elements: notification.fields.slice(0, 10).map(([label, value]) => ({ type: 'mrkdwn', text: `*${escapeMrkdwn(label)}:* ${escapeMrkdwn(value)}` })) },
    ],
  });
}

/** Slack's three control characters in mrkdwn, escaped so a model name cannot open a link or mention. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
