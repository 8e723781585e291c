import { randomUUID } from 'node:crypto';
import { connect, DeliverPolicy, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../kit/silent-logger.js';
import { ledgerRow } from '../usage-ledger-contract.js';
import { cloudEvent, cloudEventTypes, eventSubjects, type CloudEvent } from './cloud-event.js';
import { NatsEventPublisher } from './nats-event-publisher.js';
import { RequestEventPublisher } from './request-event-publisher.js';
import { cloudEventErrors } from './test-support/cloud-event-validator.js';

// The real NATS server with JetStream that development and CI machines run on 127.0.0.1:4222.
const servers = process.env.SWITCHYARD_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const decoder = new TextDecoder();

describe('NatsEventPublisher on JetStream', () => {
  let publisher: NatsEventPublisher;
  let reader: NatsConnection;

  beforeAll(async () => {
    publisher = new NatsEventPublisher({ servers, stream: 'LLM', logger: silentLogger });
    reader = await connect({ servers });
  });
  afterAll(async () => {
    await publisher.close();
    await reader.close();
  });

  /** Reads the stream from `startSequence` until every id in `ids` was seen; returns every message carrying one of them. */
  async function readBack(stream: string, startSequence: number, ids: ReadonlySet<string>): Promise<Array<{ subject: string; event: CloudEvent }>> {
    // One filter subject (a list of them needs NATS 2.10).
    const consumer = await reader.jetstream().consumers.get(stream, { filterSubjects: 'llm.>', deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: startSequence });
    const found: Array<{ subject: string; event: CloudEvent }> = [];
    let drained = false;
    for (let round = 0; round < 20 && !drained; round += 1) {
      let count = 0;
      for await (const message of await consumer.fetch({ max_messages: 100, expires: 1000 })) {
        count += 1;
        const event = JSON.parse(decoder.decode(message.data)) as CloudEvent;
        if (ids.has(event.id)) found.push({ subject: message.subject, event });
      }
      drained = count === 0 && new Set(found.map((each) => each.event.id)).size === ids.size;
    }
    return found;
  }

  it('ensures a stream over llm.> and stores request, alert, budget and anomaly events as valid CloudEvents', async () => {
    const warmUp = cloudEvent({ source: '/switchyard/test', type: cloudEventTypes.anomalyDetected, atMs: Date.now(), data: { probe: true } });
    await publisher.publish(eventSubjects.anomalies, warmUp);
    const manager = await reader.jetstreamManager();
    const stream = await manager.streams.find('llm.requests');
    const info = await manager.streams.info(stream);
    expect(info.config.subjects.some((subject) => subject === 'llm.>' || subject === 'llm.requests')).toBe(true);
    const startSequence = info.state.last_seq + 1;

    const requests = new RequestEventPublisher({ publisher, source: '/switchyard/test', logger: silentLogger });
    const rows = [ledgerRow({ id: `req_${randomUUID()}` }), ledgerRow({ id: `req_${randomUUID()}`, status: 'error', httpStatus: 502, errorCode: 'upstream_error' })];
    for (const row of rows) requests.observe(row);
    await requests.close();
    expect(requests.stats()).toMatchObject({ published: 2, dropped: 0, buffered: 0 });

    const alert = cloudEvent({ source: '/switchyard/test', type: cloudEventTypes.alertFiring, atMs: Date.now(), data: { alert: { id: 'alt_1' } } });
    const budget = cloudEvent({ source: '/switchyard/test', type: cloudEventTypes.budgetThresholdCrossed, atMs: Date.now(), data: { budgetId: 'bud_1', threshold: 0.8 } });
    await publisher.publish(eventSubjects.alerts, alert);
    await publisher.publish(eventSubjects.budgetAlerts, budget);
    // A retried publish (same event id) is stored once.
    await publisher.publish(eventSubjects.alerts, alert);

    const ids = new Set([...rows.map((row) => row.id), alert.id, budget.id]);
    const messages = await readBack(stream, startSequence, ids);
    const found = new Map(messages.map((message) => [message.event.id, message]));
    expect([...found.keys()].sort()).toEqual([...ids].sort());
    // The retried publish (same event id) was stored once.
    expect(messages.filter((message) => message.event.id === alert.id)).toHaveLength(1);
    expect(found.get(rows[1].id)).toMatchObject({ subject: 'llm.requests', event: { type: 'dev.switchyard.request.completed', subject: rows[1].id, data: { id: rows[1].id, status: 'error', errorCode: 'upstream_error' } } });
    expect(found.get(alert.id)?.subject).toBe('llm.alerts');
    expect(found.get(budget.id)?.subject).toBe('llm.governance.budget-alert');
    for (const { event } of messages) expect(cloudEventErrors(event)).toEqual([]);
  });

  it('fails a publish within its timeout when the server is unreachable, without hanging the caller', async () => {
    const unreachable = new NatsEventPublisher({ servers: 'nats://127.0.0.1:1', stream: 'LLM', publishTimeoutMs: 300, logger: silentLogger });
    await expect(unreachable.publish(eventSubjects.alerts, cloudEvent({ source: '/t', type: cloudEventTypes.alertFiring, atMs: Date.now(), data: {} }))).rejects.toThrow(/did not acknowledge within 300 ms/);
    await unreachable.close();
  });
});
