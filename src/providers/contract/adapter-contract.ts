import { describe, expect, it } from 'vitest';
import {
  isGatewayError,
  type CallOptions,
  type ChatEvent,
  type ChatRequest,
  type EmbedRequest,
  type ProviderAdapter,
  type Usage,
} from '../../spec/index.js';
import { systemClock } from '../../kit/system-clock.js';
import { silentLogger } from '../../kit/silent-logger.js';
import { ReplayUpstreamClient, type ChunkingMode } from './replay-upstream-client.js';
import { loadWireFixtures, type WireFixture } from './wire-fixture.js';

/** Options of {@link describeAdapterContract}. */
export interface AdapterContractOptions {
  /** Shown in test names. */
  name: string;
  /** A fresh adapter, configured with the base URL and key the fixtures were recorded with. */
  createAdapter: () => ProviderAdapter;
  /** The adapter's `__fixtures__` folder. */
  fixturesDirectory: string;
  /** Fixture count below which the suite fails (an adapter without fixtures is untested). */
  minimumFixtures?: number;
}

/**
 * The suite every provider adapter passes, driven by its recorded wire fixtures: the exact request sent,
 * exact usage, exactly one terminal event per stream, typed errors, decoding that survives any chunking,
 * and aborts honoured.
 */
export function describeAdapterContract(options: AdapterContractOptions): void {
  const fixtures = loadWireFixtures(options.fixturesDirectory);
  describe(`${options.name} adapter contract`, () => {
    it(`has at least ${options.minimumFixtures ?? 6} recorded fixtures`, () => {
      expect(fixtures.length).toBeGreaterThanOrEqual(options.minimumFixtures ?? 6);
      const operations = new Set(fixtures.map((fixture) => fixture.operation));
      expect(operations.has('chat')).toBe(true);
      expect(operations.has('chat-stream')).toBe(true);
    });
    it('declares the adapter spec version', () => {
      expect(options.createAdapter().specVersion).toBe('v1');
    });
    for (const fixture of fixtures) {
      describe(fixture.name, () => {
        const chunkings: ChunkingMode[] = fixture.operation === 'chat-stream' ? ['recorded', 'whole', 'tiny'] : ['recorded'];
        for (const chunking of chunkings) {
          it(`${fixture.description} (${chunking} reads)`, async () => {
            await runFixture(options.createAdapter(), fixture, chunking);
          });
        }
        if (fixture.operation === 'chat-stream' && fixture.expected.error === undefined) {
          it('ends with an error event carrying partial usage when aborted mid-stream', async () => {
            await runAbort(options.createAdapter(), fixture);
          });
        }
      });
    }
  });
}

function callOptions(client: ReplayUpstreamClient, signal = new AbortController().signal): CallOptions {
  return { signal, http: client, clock: systemClock, logger: silentLogger };
}

function withoutRaw(usage: Usage | undefined): Record<string, number> {
  const copy: Record<string, number> = {};
  for (const [key, value] of Object.entries(usage ?? {})) {
    if (key !== 'raw' && value !== undefined) copy[key] = value as number;
  }
  return copy;
}

function checkRequest(fixture: WireFixture, client: ReplayUpstreamClient): void {
  expect(client.requests.length).toBe(1);
  const sent = client.requests[0];
  const recorded = fixture.upstream.request;
  expect(sent.method).toBe(recorded.method);
  expect(sent.url).toBe(recorded.url);
  const headers = Object.fromEntries(Object.entries(sent.headers).map(([key, value]) => [key.toLowerCase(), value]));
  for (const [key, value] of Object.entries(recorded.headers ?? {})) expect(headers[key], `header ${key}`).toBe(value);
  if (recorded.body !== undefined) expect(JSON.parse(sent.body ?? 'null')).toEqual(recorded.body);
}

function expectError(fixture: WireFixture, error: unknown): void {
  const expected = fixture.expected.error;
  if (!isGatewayError(error)) throw error;
  expect(expected, `unexpected error ${error.code}: ${error.message}`).toBeDefined();
  expect(error.code).toBe(expected!.code);
  if (expected!.status !== undefined) expect(error.status).toBe(expected!.status);
  if (expected!.retryable !== undefined) expect(error.retryable).toBe(expected!.retryable);
  if (expected!.retryAfterSeconds !== undefined) expect(error.retryAfterSeconds).toBe(expected!.retryAfterSeconds);
}

async function runFixture(adapter: ProviderAdapter, fixture: WireFixture, chunking: ChunkingMode): Promise<void> {
  const client = new ReplayUpstreamClient(fixture, chunking);
  const call = callOptions(client);
  if (fixture.operation === 'chat') {
    try {
      const result = await adapter.doChat(fixture.request as unknown as ChatRequest, call);
      expect(fixture.expected.error, 'expected the call to fail').toBeUndefined();
      if (fixture.expected.result) expect(result).toMatchObject(fixture.expected.result);
      if (fixture.expected.usage) expect(withoutRaw(result.usage)).toEqual(fixture.expected.usage);
      expect(result.choices.length).toBeGreaterThan(0);
    } catch (error) {
      expectError(fixture, error);
    }
  } else if (fixture.operation === 'chat-stream') {
    let stream: AsyncIterable<ChatEvent>;
    try {
      stream = await adapter.doChatStream(fixture.request as unknown as ChatRequest, call);
    } catch (error) {
      expect(fixture.expected.error?.inStream, 'the error should have come as a stream event').not.toBe(true);
      expectError(fixture, error);
      checkRequest(fixture, client);
      return;
    }
    const events: ChatEvent[] = [];
    for await (const event of stream) events.push(event);
    checkStreamShape(events);
    const last = events[events.length - 1];
    if (fixture.expected.error) {
      expect(last.type, 'a failed stream ends with an error event').toBe('error');
      if (last.type === 'error') expectError(fixture, last.error);
    } else {
      expect(last.type, last.type === 'error' ? `stream failed: ${last.error.message}` : '').toBe('finish');
    }
    if (fixture.expected.usage) {
      const usage = last.type === 'finish' ? last.usage : last.type === 'error' ? last.usage : undefined;
      expect(withoutRaw(usage)).toEqual(fixture.expected.usage);
    }
    if (fixture.expected.events) {
      expect(events.map(normaliseEvent)).toEqual(fixture.expected.events);
    }
  } else if (fixture.operation === 'embed') {
    expect(adapter.doEmbed, 'adapter has no doEmbed').toBeDefined();
    try {
      const result = await adapter.doEmbed!(fixture.request as unknown as EmbedRequest, call);
      expect(fixture.expected.error, 'expected the call to fail').toBeUndefined();
      if (fixture.expected.result) expect(result).toMatchObject(fixture.expected.result);
      if (fixture.expected.usage) expect(withoutRaw(result.usage)).toEqual(fixture.expected.usage);
    } catch (error) {
      expectError(fixture, error);
    }
  } else {
    expect(adapter.listModels, 'adapter has no listModels').toBeDefined();
    const models = await adapter.listModels!(call);
    if (fixture.expected.result) expect({ models }).toMatchObject(fixture.expected.result);
  }
  checkRequest(fixture, client);
}

/** One stream-start first, exactly one terminal event, and it is last. */
function checkStreamShape(events: ChatEvent[]): void {
  expect(events.length).toBeGreaterThan(0);
  const terminals = events.filter((event) => event.type === 'finish' || event.type === 'error');
  expect(terminals.length, 'exactly one finish or error').toBe(1);
  const last = events[events.length - 1];
  expect(last.type === 'finish' || last.type === 'error').toBe(true);
  if (events[0].type !== 'error') expect(events[0].type).toBe('stream-start');
  expect(events.filter((event) => event.type === 'stream-start').length).toBeLessThanOrEqual(1);
}

/** Events as compared in fixtures: usage without `raw`, errors as their code. */
export function normaliseEvent(event: ChatEvent): Record<string, unknown> {
  if (event.type === 'finish') {
    const { providerMetadata: _metadata, ...rest } = event;
    return { ...rest, usage: withoutRaw(event.usage) };
  }
  if (event.type === 'error') return { type: 'error', code: event.error.code };
  return { ...event };
}

async function runAbort(adapter: ProviderAdapter, fixture: WireFixture): Promise<void> {
  const client = new ReplayUpstreamClient(fixture, 'tiny');
  const controller = new AbortController();
  const stream = await adapter.doChatStream(fixture.request as unknown as ChatRequest, callOptions(client, controller.signal));
  const events: ChatEvent[] = [];
  for await (const event of stream) {
    events.push(event);
    if (event.type !== 'stream-start' && !controller.signal.aborted) controller.abort();
  }
  checkStreamShape(events);
  const last = events[events.length - 1];
  expect(last.type).toBe('error');
  if (last.type === 'error') expect(last.error.code).toBe('client_closed_request');
  expect(client.readsConsumed, 'the adapter kept reading after the abort').toBeLessThan(client.totalReads);
}
