import { connect, type ConnectionOptions, type JetStreamClient, type NatsConnection } from 'nats';
import type { Logger } from '../../spec/index.js';
import type { CloudEvent } from './cloud-event.js';
import type { EventPublisher } from './event-publisher.js';

/** Options of {@link NatsEventPublisher}. */
export interface NatsEventPublisherOptions {
  servers: string | string[];
  user?: string;
  password?: string;
  token?: string;
  /** The stream that must cover `llm.>` (created when no stream does). */
  stream: string;
  /** Longest wait for the connection and the server's acknowledgement of one event (default 5 s). */
  publishTimeoutMs?: number;
  logger: Logger;
}

/** The subjects every Switchyard event is published under. */
export const streamSubjects = 'llm.>';

const encoder = new TextEncoder();

/**
 * Publishes CloudEvents to NATS JetStream (JSON, structured mode). It connects in the background and keeps
 * reconnecting, so a NATS outage never stops the gateway from starting: publishing meanwhile fails and the
 * caller's queue retries. At the first connection it makes sure a stream covers `llm.>`: the one that
 * already does, else a new one named `stream`. Each event's id is its JetStream message id, so a retried
 * publish is stored once (within the stream's duplicate window).
 */
export class NatsEventPublisher implements EventPublisher {
  readonly #options: NatsEventPublisherOptions;
  readonly #ready: Promise<{ connection: NatsConnection; jetstream: JetStreamClient }>;
  #closed = false;
  #connection: NatsConnection | undefined;

  constructor(options: NatsEventPublisherOptions) {
    this.#options = options;
    this.#ready = this.#open();
    // Failures are reported by `publish`; this only keeps an early failure from being unhandled.
    this.#ready.catch(() => undefined);
  }

  async #open(): Promise<{ connection: NatsConnection; jetstream: JetStreamClient }> {
    const { servers, user, password, token, logger } = this.#options;
    const settings: ConnectionOptions = { servers, name: 'switchyard', maxReconnectAttempts: -1, ...(user === undefined ? {} : { user, pass: password }), ...(token === undefined ? {} : { token }) };
    // Until the first connection, retried here (with unref'ed timers, so a server that never comes up
    // keeps no process alive); after it the client reconnects on its own.
    let connection: NatsConnection | undefined;
    for (let attempt = 0; connection === undefined; attempt += 1) {
      if (this.#closed) throw new Error('the publisher is closed');
      try {
        connection = await connect(settings);
      } catch (error) {
        if (attempt === 0) logger.warn({ error: (error as Error).message }, 'NATS unreachable; events are retried until it is back');
        await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 500 * 2 ** Math.min(attempt, 6))).unref());
      }
    }
    this.#connection = connection;
    void (async () => {
      for await (const status of (connection as NatsConnection).status()) {
        if (status.type === 'disconnect' || status.type === 'reconnect') logger.info({ status: status.type }, 'NATS connection');
      }
    })().catch(() => undefined);
    if (this.#closed) {
      await connection.close();
      throw new Error('the publisher is closed');
    }
    await this.#ensureStream(connection);
    return { connection, jetstream: connection.jetstream() };
  }

  async #ensureStream(connection: NatsConnection): Promise<void> {
    const manager = await connection.jetstreamManager();
    let covering: string | undefined;
    try {
      covering = await manager.streams.find('llm.requests');
    } catch {
      covering = undefined;
    }
    if (covering !== undefined) return;
    await manager.streams.add({ name: this.#options.stream, subjects: [streamSubjects] });
    this.#options.logger.info({ stream: this.#options.stream, subjects: streamSubjects }, 'created the JetStream stream for events');
  }

  async publish(subject: string, event: CloudEvent): Promise<void> {
    if (this.#closed) throw new Error('the publisher is closed');
    const timeoutMs = this.#options.publishTimeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`NATS did not acknowledge within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const { jetstream } = await Promise.race([this.#ready, timeout]);
      await Promise.race([jetstream.publish(subject, encoder.encode(JSON.stringify(event)), { msgID: event.id, timeout: timeoutMs }), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends what is pending and closes the connection (and stops connecting, when it never did). */
  async close(): Promise<void> {
    this.#closed = true;
    const connection = this.#connection;
    if (connection !== undefined && !connection.isClosed()) await connection.drain().catch(() => connection.close());
  }
}
