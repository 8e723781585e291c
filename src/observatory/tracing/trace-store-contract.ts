import { afterEach, describe, expect, it } from 'vitest';
import type { TraceStore } from './trace-store.js';
import type { TraceScore, TraceSpan } from './trace-types.js';

/** A store under test and how to dispose of it. */
export interface TraceStoreFixture {
  store: TraceStore;
  dispose?: () => Promise<void>;
}

const traceA = 'a'.repeat(32);
const traceB = 'b'.repeat(32);
const traceC = 'c'.repeat(32);

/** A span with defaults; override what the test is about. */
export function traceSpan(overrides: Partial<TraceSpan> = {}): TraceSpan {
  return {
    traceId: traceA,
    spanId: '1'.repeat(16),
    name: 'chat gpt-4o',
    kind: 'request',
    startTime: 1_000,
    endTime: 1_500,
    status: 'ok',
    attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 12, 'gen_ai.request.stream': true },
    ...overrides,
  };
}

function score(overrides: Partial<TraceScore> = {}): TraceScore {
  return { id: 'score-1', traceId: traceA, name: 'helpful', value: 0.75, dataType: 'numeric', source: 'api', createdAt: 2_000, ...overrides };
}

/** The behaviour every {@link TraceStore} must have. */
export function describeTraceStoreContract(name: string, open: () => Promise<TraceStoreFixture>): void {
  describe(`TraceStore contract: ${name}`, () => {
    let fixture: TraceStoreFixture | undefined;
    const store = async () => {
      fixture = await open();
      return fixture.store;
    };
    afterEach(async () => {
      await fixture?.dispose?.();
      fixture = undefined;
    });

    it('keeps a trace whole: spans by start time, attributes typed, input and output as sent', async () => {
      const traces = await store();
      const child = traceSpan({ spanId: '2'.repeat(16), parentSpanId: '1'.repeat(16), name: 'tool search', kind: 'tool', startTime: 1_100, endTime: 1_200, input: { query: 'x' }, output: ['a', 1] });
      await traces.appendSpans([child, traceSpan({ requestId: 'req-1', sessionId: 'sess-1', workspaceId: 'ws-1', organisationId: 'org-1' })]);
      const trace = await traces.getTrace(traceA);
      expect(trace?.spans.map((span) => span.spanId)).toEqual(['1'.repeat(16), '2'.repeat(16)]);
      expect(trace?.spans[0]).toEqual(traceSpan({ requestId: 'req-1', sessionId: 'sess-1', workspaceId: 'ws-1', organisationId: 'org-1' }));
      expect(trace?.spans[1]).toMatchObject({ parentSpanId: '1'.repeat(16), kind: 'tool', input: { query: 'x' }, output: ['a', 1] });
      expect(await traces.getTrace(traceB)).toBeUndefined();
    });

    it('ignores a span stored twice (a retried batch)', async () => {
      const traces = await store();
      await traces.appendSpans([traceSpan()]);
      await traces.appendSpans([traceSpan({ name: 'again' }), traceSpan({ spanId: '3'.repeat(16) })]);
      const trace = await traces.getTrace(traceA);
      expect(trace?.spans.map((span) => span.name)).toEqual(['chat gpt-4o', 'chat gpt-4o']);
    });

    it('lists traces newest first with their summary, and pages with the cursor', async () => {
      const traces = await store();
      await traces.appendSpans([
        traceSpan({ traceId: traceA, startTime: 1_000, endTime: 1_400, requestId: 'req-a' }),
        traceSpan({ traceId: traceA, spanId: '2'.repeat(16), parentSpanId: '1'.repeat(16), name: 'switchyard.route', kind: 'stage', startTime: 1_010, endTime: 1_900, status: 'error', requestId: 'req-a' }),
        traceSpan({ traceId: traceB, startTime: 3_000, endTime: 3_100, sessionId: 'sess-b', name: 'agent run', kind: 'span', parentSpanId: 'f'.repeat(16) }),
        traceSpan({ traceId: traceC, startTime: 2_000, endTime: 2_050, requestId: 'req-c' }),
        // A failed attempt the request recovered from does not make the trace a failure.
        traceSpan({ traceId: traceC, spanId: '3'.repeat(16), parentSpanId: '1'.repeat(16), kind: 'attempt', startTime: 2_001, endTime: 2_010, status: 'error' }),
      ]);
      const first = await traces.listTraces({ limit: 2 });
      expect(first.traces[1]).toMatchObject({ traceId: traceC, spanCount: 2, status: 'ok' });
      expect(first.traces.map((trace) => trace.traceId)).toEqual([traceB, traceC]);
      expect(first.traces[0]).toEqual({ traceId: traceB, name: 'agent run', startTime: 3_000, endTime: 3_100, spanCount: 1, requestIds: [], sessionId: 'sess-b', status: 'ok' });
      expect(first.nextCursor).toBeDefined();
      const second = await traces.listTraces({ limit: 2, cursor: first.nextCursor });
      expect(second.traces).toEqual([{ traceId: traceA, name: 'chat gpt-4o', startTime: 1_000, endTime: 1_900, spanCount: 2, requestIds: ['req-a'], status: 'error' }]);
      expect(second.nextCursor).toBeUndefined();
    });

    it('filters traces by request, session, workspace and start time', async () => {
      const traces = await store();
      await traces.appendSpans([
        traceSpan({ traceId: traceA, startTime: 1_000, requestId: 'req-a', workspaceId: 'ws-1' }),
        traceSpan({ traceId: traceA, spanId: '2'.repeat(16), startTime: 1_001, sessionId: 'sess-a' }),
        traceSpan({ traceId: traceB, startTime: 2_000, requestId: 'req-b', workspaceId: 'ws-2' }),
      ]);
      const ids = async (query: Parameters<TraceStore['listTraces']>[0]) => (await traces.listTraces(query)).traces.map((trace) => trace.traceId);
      expect(await ids({ requestId: 'req-b' })).toEqual([traceB]);
      expect(await ids({ sessionId: 'sess-a' })).toEqual([traceA]);
      expect(await ids({ workspaceId: 'ws-1' })).toEqual([traceA]);
      expect(await ids({ since: 1_500 })).toEqual([traceB]);
      expect(await ids({ until: 2_000 })).toEqual([traceA]);
      expect(await ids({ requestId: 'nothing' })).toEqual([]);
    });

    it('keeps scores of every type with their trace', async () => {
      const traces = await store();
      await traces.appendSpans([traceSpan()]);
      await traces.addScore(score());
      await traces.addScore(score({ id: 'score-2', spanId: '1'.repeat(16), name: 'tone', value: 'polite', dataType: 'categorical', source: 'dashboard', comment: 'ok', createdAt: 2_001 }));
      await traces.addScore(score({ id: 'score-3', name: 'error', value: true, dataType: 'boolean', source: 'rule', createdAt: 2_002, workspaceId: 'ws-1' }));
      await traces.addScore(score({ value: 0 }));
      const trace = await traces.getTrace(traceA);
      expect(trace?.scores).toEqual([
        score(),
        score({ id: 'score-2', spanId: '1'.repeat(16), name: 'tone', value: 'polite', dataType: 'categorical', source: 'dashboard', comment: 'ok', createdAt: 2_001 }),
        score({ id: 'score-3', name: 'error', value: true, dataType: 'boolean', source: 'rule', createdAt: 2_002, workspaceId: 'ws-1' }),
      ]);
    });

    it('prunes spans that started before the cut and scores created before it', async () => {
      const traces = await store();
      await traces.appendSpans([traceSpan({ startTime: 1_000 }), traceSpan({ spanId: '2'.repeat(16), startTime: 5_000, endTime: 5_100 }), traceSpan({ traceId: traceB, startTime: 900 })]);
      await traces.addScore(score({ createdAt: 1_000 }));
      await traces.addScore(score({ id: 'late', createdAt: 6_000 }));
      expect(await traces.prune(2_000, 100)).toBe(2);
      expect(await traces.getTrace(traceB)).toBeUndefined();
      const trace = await traces.getTrace(traceA);
      expect(trace?.spans.map((span) => span.startTime)).toEqual([5_000]);
      expect(trace?.scores.map((kept) => kept.id)).toEqual(['late']);
    });

    it('prunes in bounded batches, oldest first', async () => {
      const traces = await store();
      await traces.appendSpans(Array.from({ length: 7 }, (_, index) => traceSpan({ spanId: String(index).repeat(16), startTime: 100 + index, endTime: 200 })));
      expect(await traces.prune(106, 2)).toBe(2);
      expect((await traces.getTrace(traceA))?.spans.map((span) => span.startTime)).toEqual([102, 103, 104, 105, 106]);
      expect(await traces.prune(106, 2)).toBe(2);
      expect(await traces.prune(106, 2)).toBe(2);
      expect(await traces.prune(106, 2)).toBe(0);
      expect((await traces.getTrace(traceA))?.spans.map((span) => span.startTime)).toEqual([106]);
    });
  });
}
