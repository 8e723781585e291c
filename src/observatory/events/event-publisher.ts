import type { CloudEvent } from './cloud-event.js';

/**
 * Publishes CloudEvents on a subject of the event bus (NATS JetStream in the scaled preset). `publish`
 * resolves when the server has stored the event, and rejects when it could not: callers queue and retry,
 * they never wait on it on a request's way.
 */
export interface EventPublisher {
  publish(subject: string, event: CloudEvent): Promise<void>;
  close(): Promise<void>;
}
