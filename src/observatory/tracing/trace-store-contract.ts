import { afterEach, describe, expect, it } from 'vitest';
import type { LedgerRow } from '../ledger-row.js';
import type { TraceStore } from './trace-store.js';
import type { TraceScore, TraceSpan } from './trace-types.js';

/** A store under test, the usage ledger its gateway spans come from, and how to dispose of them. */
export interface TraceStoreFixture {
  store: TraceStore;
  /** Appends rows to the usage ledger the store reads traced requests from. */
  recordRequests(rows: LedgerRow[]): Promise<void>;
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

/** A traced gateway request: served on a retry after a failed attempt, in `traceId`. */
export function tracedRow(id: string, traceId: string, overrides: Partial<LedgerRow> = {}): LedgerRow {
  return {
    id,
    timestamp: 1_000,
    dialect: 'openai',
    operation: 'chat',
    requestedModel: 'fast',
    servedProvider: 'openai',
    servedModel: 'gpt-4o-mini',
    stream: false,
    status: 'ok',
    httpStatus: 200,
    attempts: [
      { deploymentId: 'a', provider: 'openai', model: 'gpt-4o-mini', durationMs: 20, outcome: 'error', errorCode: 'upstream_unavailable', upstreamStatus: 503 },
      { deploymentId: 'b', provider: 'openai', model: 'gpt-4o-mini', durationMs: 100, outcome: 'success' },
    ],
    latencyMs: 200,
    inputTokens: 9,
    outputTokens: 3,
    usageSource: 'provider',
    trace: {
      traceId,
      requestSpanId: '9'.repeat(16),
      parentSpanId: 'e'.repeat(16),
      authenticatedAfterMs: 1,
      governedAfterMs: 3,
      attempts: [
        { spanId: '7'.repeat(16), group: 'fast', startedAfterMs: 5 },
        { spanId: '8'.repeat(16), group: 'fast', startedAfterMs: 30, reason: 'retry' },
      ],
    },
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

    it("derives a traced request's spans from its ledger row, beside an application's spans in the same trace", async () => {
      const traces = await store();
      await fixture!.recordRequests([tracedRow('req-1', traceA, { workspaceId: 'ws-1', organisationId: 'org-1' }), tracedRow('req-untraced', traceB, { trace: undefined })]);
      // The application's agent run is the client span the gateway request continues.
      await traces.appendSpans([traceSpan({ spanId: 'e'.repeat(16), name: 'agent run', kind: 'span', startTime: 990, endTime: 1_300, workspaceId: 'ws-1', organisationId: 'org-1' })]);
      const trace = await traces.getTrace(traceA);
      expect(trace?.spans.map((span) => [span.kind, span.name, span.startTime, span.endTime])).toEqual([
        ['span', 'agent run', 990, 1_300],
        ['request', 'chat fast', 1_000, 1_200],
        ['stage', 'switchyard.authenticate', 1_000, 1_001],
        ['stage', 'switchyard.govern', 1_001, 1_003],
        ['stage', 'switchyard.route', 1_003, 1_200],
        ['attempt', 'chat gpt-4o-mini', 1_005, 1_025],
        ['attempt', 'chat gpt-4o-mini', 1_030, 1_130],
      ]);
      const request = trace!.spans[1];
      expect(request).toMatchObject({ spanId: '9'.repeat(16), parentSpanId: 'e'.repeat(16), requestId: 'req-1', workspaceId: 'ws-1', organisationId: 'org-1', status: 'ok' });
      expect(request.attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 9, 'gen_ai.usage.output_tokens': 3, 'gen_ai.response.model': 'gpt-4o-mini' });
      expect(trace!.spans.slice(5).map((span) => [span.spanId, span.status])).toEqual([['7'.repeat(16), 'error'], ['8'.repeat(16), 'ok']]);
      // Read again, the derived spans keep their ids (a score may name one).
      expect((await traces.getTrace(traceA))?.spans).toEqual(trace?.spans);
      expect(await traces.getTrace(traceB)).toBeUndefined();
      expect((await traces.listTraces({})).traces).toEqual([{ traceId: traceA, name: 'agent run', startTime: 990, endTime: 1_300, spanCount: 7, requestIds: ['req-1'], status: 'ok' }]);
    });

    it('lists, filters and pages traces of gateway requests and of applications together', async () => {
      const traces = await store();
      await fixture!.recordRequests([
        tracedRow('req-a', traceA, { timestamp: 1_000, workspaceId: 'ws-1' }),
        tracedRow('req-c', traceC, { timestamp: 2_000, status: 'error', httpStatus: 502, errorCode: 'upstream_unavailable', workspaceId: 'ws-2', trace: { ...tracedRow('', traceC).trace!, sessionId: 'sess-c' } }),
      ]);
      await traces.appendSpans([traceSpan({ traceId: traceB, startTime: 3_000, endTime: 3_100, name: 'agent run', kind: 'span', workspaceId: 'ws-2' })]);
      const first = await traces.listTraces({ limit: 2 });
      expect(first.traces.map((trace) => [trace.traceId, trace.status, trace.requestIds])).toEqual([[traceB, 'ok', []], [traceC, 'error', ['req-c']]]);
      expect(first.traces[1]).toMatchObject({ name: 'chat fast', startTime: 2_000, endTime: 2_200, spanCount: 6, sessionId: 'sess-c' });
      const second = await traces.listTraces({ limit: 2, cursor: first.nextCursor });
      expect(second.traces.map((trace) => trace.traceId)).toEqual([traceA]);
      expect(second.nextCursor).toBeUndefined();
      const ids = async (query: Parameters<TraceStore['listTraces']>[0]) => (await traces.listTraces(query)).traces.map((trace) => trace.traceId);
      expect(await ids({ requestId: 'req-a' })).toEqual([traceA]);
      expect(await ids({ sessionId: 'sess-c' })).toEqual([traceC]);
      expect(await ids({ workspaceId: 'ws-2' })).toEqual([traceB, traceC]);
      expect(await ids({ since: 1_500, until: 3_000 })).toEqual([traceC]);
    });

    it('pages traces whose entries interleave across page boundaries: each once, by its first entry', async () => {
      const traces = await store();
      const traceD = 'd'.repeat(32);
      const traceE = 'e'.repeat(32);
      // A, B and C keep receiving requests and spans after the later traces began; E starts with C.
      await fixture!.recordRequests([
        tracedRow('req-a1', traceA, { timestamp: 1_000 }),
        tracedRow('req-c1', traceC, { timestamp: 3_000 }),
        tracedRow('req-e1', traceE, { timestamp: 3_000 }),
        tracedRow('req-b2', traceB, { timestamp: 5_000 }),
        tracedRow('req-a3', traceA, { timestamp: 7_000 }),
      ]);
      await traces.appendSpans([
        traceSpan({ traceId: traceB, spanId: '2'.repeat(16), startTime: 2_000, endTime: 2_100 }),
        traceSpan({ traceId: traceA, spanId: '4'.repeat(16), startTime: 4_000, endTime: 4_100 }),
        traceSpan({ traceId: traceC, spanId: '6'.repeat(16), startTime: 6_000, endTime: 6_100 }),
        traceSpan({ traceId: traceD, spanId: '8'.repeat(16), startTime: 8_000, endTime: 8_100 }),
      ]);
      const pages = async (query: Parameters<TraceStore['listTraces']>[0]) => {
        const found: Array<Array<[string, number]>> = [];
        let cursor: string | undefined;
        do {
          const page = await traces.listTraces({ ...query, cursor });
          found.push(page.traces.map((trace) => [trace.traceId, trace.startTime]));
          cursor = page.nextCursor;
        } while (cursor !== undefined && found.length < 10);
        return found;
      };
      expect(await pages({ limit: 1 })).toEqual([[[traceD, 8_000]], [[traceE, 3_000]], [[traceC, 3_000]], [[traceB, 2_000]], [[traceA, 1_000]]]);
      expect(await pages({ limit: 2 })).toEqual([[[traceD, 8_000], [traceE, 3_000]], [[traceC, 3_000], [traceB, 2_000]], [[traceA, 1_000]]]);
      expect(await pages({ limit: 2, until: 5_000 })).toEqual([[[traceE, 3_000], [traceC, 3_000]], [[traceB, 2_000], [traceA, 1_000]]]);
    });

    it('finds the first entry of a trace behind many newer entries of it', async () => {
      const traces = await store();
      const longTrace = '1'.repeat(32);
      // A long-running trace began first and kept receiving spans long after five single-request traces.
      await traces.appendSpans([
        traceSpan({ traceId: longTrace, spanId: 'f'.repeat(16), name: 'agent run', kind: 'span', startTime: 100, endTime: 20_000 }),
        ...Array.from({ length: 300 }, (_, index) => traceSpan({ traceId: longTrace, spanId: (index + 1).toString(16).padStart(16, '0'), parentSpanId: 'f'.repeat(16), kind: 'tool', startTime: 10_000 + index, endTime: 10_001 + index })),
      ]);
      const singles = ['2', '3', '4', '5', '6'].map((digit) => digit.repeat(32));
      await fixture!.recordRequests(singles.map((traceId, index) => tracedRow(`req-${index}`, traceId, { timestamp: 1_000 * (index + 1) })));
      const first = await traces.listTraces({ limit: 2 });
      expect(first.traces.map((trace) => trace.traceId)).toEqual([singles[4], singles[3]]);
      const second = await traces.listTraces({ limit: 2, cursor: first.nextCursor });
      expect(second.traces.map((trace) => trace.traceId)).toEqual([singles[2], singles[1]]);
      const third = await traces.listTraces({ limit: 2, cursor: second.nextCursor });
      expect(third.traces.map((trace) => [trace.traceId, trace.startTime, trace.spanCount])).toEqual([[singles[0], 1_000, 6], [longTrace, 100, 301]]);
      expect(third.nextCursor).toBeUndefined();
    });

    it('pages many interleaved traces with shared start times in the order of a full sort', async () => {
      const traces = await store();
      // Seeded, so every store gets the same 400 entries: 120 traces, 12 distinct start times, 3 workspaces.
      let seed = 7;
      const next = (bound: number) => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return Math.floor(seed / 65_536) % bound;
      };
      const firsts = new Map<string, Map<string, number>>();
      const record = (traceId: string, scope: string, start: number) => {
        const byScope = firsts.get(traceId) ?? new Map<string, number>();
        byScope.set(scope, Math.min(start, byScope.get(scope) ?? Infinity));
        firsts.set(traceId, byScope);
      };
      const rows: LedgerRow[] = [];
      const spans: TraceSpan[] = [];
      for (let index = 0; index < 400; index += 1) {
        const traceId = next(120).toString(16).padStart(32, '0');
        const start = 1_000 + next(12) * 10;
        const workspaceId = `ws-${next(3)}`;
        if (index % 2 === 0) rows.push(tracedRow(`req-${index}`, traceId, { timestamp: start, workspaceId }));
        else spans.push(traceSpan({ traceId, spanId: (index + 1).toString(16).padStart(16, '0'), startTime: start, endTime: start + 5, workspaceId }));
        record(traceId, 'all', start);
        record(traceId, workspaceId, start);
      }
      await fixture!.recordRequests(rows);
      await traces.appendSpans(spans);
      const expected = (scope: string, until = Infinity) =>
        [...firsts]
          .flatMap(([traceId, byScope]) => {
            const first = byScope.get(scope);
            return first === undefined || first >= until ? [] : [{ traceId, first }];
          })
          .sort((left, right) => right.first - left.first || (right.traceId < left.traceId ? -1 : 1))
          .map((trace) => trace.traceId);
      const listed = async (query: Parameters<TraceStore['listTraces']>[0]) => {
        const found: string[] = [];
        let cursor: string | undefined;
        for (let pages = 0; pages < 100; pages += 1) {
          const page = await traces.listTraces({ ...query, limit: 7, cursor });
          found.push(...page.traces.map((trace) => trace.traceId));
          cursor = page.nextCursor;
          if (cursor === undefined) break;
        }
        return found;
      };
      expect(await listed({})).toEqual(expected('all'));
      expect(await listed({ workspaceId: 'ws-1' })).toEqual(expected('ws-1'));
      expect(await listed({ until: 1_060 })).toEqual(expected('all', 1_060));
    });

    it('pages many traces that began at the same moment by trace id, each once', async () => {
      const traces = await store();
      const ids = Array.from({ length: 150 }, (_, index) => `a${(index * 7_919).toString(16).padStart(31, '0')}`);
      await fixture!.recordRequests(ids.filter((_, index) => index % 2 === 0).map((traceId, index) => tracedRow(`req-${index}`, traceId, { timestamp: 5_000 })));
      await traces.appendSpans(ids.filter((_, index) => index % 2 === 1).map((traceId) => traceSpan({ traceId, startTime: 5_000, endTime: 5_010 })));
      await traces.appendSpans([traceSpan({ traceId: traceB, startTime: 6_000, endTime: 6_010 }), traceSpan({ traceId: traceC, startTime: 4_000, endTime: 4_010 })]);
      const found: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 50; pages += 1) {
        const page = await traces.listTraces({ limit: 7, cursor });
        found.push(...page.traces.map((trace) => trace.traceId));
        cursor = page.nextCursor;
        if (cursor === undefined) break;
      }
      expect(found).toEqual([traceB, ...[...ids].sort().reverse(), traceC]);
    });

    it("orders a workspace's traces by their first entry of that workspace", async () => {
      const traces = await store();
      // A began in another workspace and reached ws-1 last; C never did.
      await traces.appendSpans([
        traceSpan({ traceId: traceA, startTime: 1_000, workspaceId: 'ws-2', organisationId: 'org-1' }),
        traceSpan({ traceId: traceC, startTime: 1_500, workspaceId: 'ws-2', organisationId: 'org-1' }),
      ]);
      await fixture!.recordRequests([
        tracedRow('req-b', traceB, { timestamp: 2_000, workspaceId: 'ws-1', organisationId: 'org-1' }),
        tracedRow('req-a', traceA, { timestamp: 3_000, workspaceId: 'ws-1', organisationId: 'org-2' }),
      ]);
      const ids = async (query: Parameters<TraceStore['listTraces']>[0]) => (await traces.listTraces(query)).traces.map((trace) => trace.traceId);
      expect(await ids({})).toEqual([traceB, traceC, traceA]);
      expect(await ids({ workspaceId: 'ws-1' })).toEqual([traceA, traceB]);
      expect(await ids({ organisationId: 'org-2' })).toEqual([traceA]);
      expect(await ids({ organisationId: 'org-1' })).toEqual([traceB, traceC, traceA]);
      expect(await ids({ workspaceId: 'ws-1', since: 2_500 })).toEqual([traceA]);
      expect(await ids({ workspaceId: 'ws-1', until: 2_500 })).toEqual([traceB]);
      const first = await traces.listTraces({ workspaceId: 'ws-1', limit: 1 });
      // The summary still covers the whole trace.
      expect(first.traces).toMatchObject([{ traceId: traceA, startTime: 1_000 }]);
      const second = await traces.listTraces({ workspaceId: 'ws-1', limit: 1, cursor: first.nextCursor });
      expect(second.traces.map((trace) => trace.traceId)).toEqual([traceB]);
      expect(second.nextCursor).toBeUndefined();
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
