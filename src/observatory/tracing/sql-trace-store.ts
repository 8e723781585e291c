import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../db/index.js';
import type { LedgerRow } from '../ledger-row.js';
import { ledgerRowOfColumns } from '../sql-usage-ledger.js';
import { bySpanStart } from './memory-trace-store.js';
import { buildRequestSpans } from './request-spans.js';
import type { TraceScoresTable, TraceSpansTable, TraceTables } from './sql-trace-tables.js';
import { listTraceKeys } from './sql-trace-listing.js';
import { parseTraceCursor, traceCursorOf, type StoredTrace, type TracePage, type TraceStore } from './trace-store.js';
import { summariseTrace, type SummarisedSpan } from './trace-summary.js';
import { traceLimitOf, type SpanKind, type TraceQuery, type TraceScore, type TraceSpan } from './trace-types.js';

// 15 columns a span: 200 spans stay far below both databases' bound-parameter limits.
const spansPerInsert = 200;

const spanColumns: ReadonlyArray<keyof TraceSpansTable> = [
  'trace_id', 'span_id', 'parent_span_id', 'name', 'kind', 'start_time', 'end_time', 'status', 'attributes',
  'request_id', 'session_id', 'organisation_id', 'workspace_id', 'input', 'output',
];

function toColumns(span: TraceSpan): TraceSpansTable {
  return {
    trace_id: span.traceId,
    span_id: span.spanId,
    parent_span_id: span.parentSpanId ?? null,
    name: span.name,
    kind: span.kind,
    start_time: Math.round(span.startTime),
    end_time: Math.round(span.endTime),
    status: span.status,
    attributes: JSON.stringify(span.attributes),
    request_id: span.requestId ?? null,
    session_id: span.sessionId ?? null,
    organisation_id: span.organisationId ?? null,
    workspace_id: span.workspaceId ?? null,
    input: span.input === undefined ? null : JSON.stringify(span.input),
    output: span.output === undefined ? null : JSON.stringify(span.output),
  };
}

function fromColumns(columns: Selectable<TraceSpansTable>): TraceSpan {
  const span: TraceSpan = {
    traceId: columns.trace_id,
    spanId: columns.span_id,
    name: columns.name,
    kind: columns.kind as SpanKind,
    startTime: Number(columns.start_time),
    endTime: Number(columns.end_time),
    status: columns.status === 'error' ? 'error' : 'ok',
    attributes: JSON.parse(columns.attributes) as TraceSpan['attributes'],
  };
  if (columns.parent_span_id !== null) span.parentSpanId = columns.parent_span_id;
  if (columns.request_id !== null) span.requestId = columns.request_id;
  if (columns.session_id !== null) span.sessionId = columns.session_id;
  if (columns.organisation_id !== null) span.organisationId = columns.organisation_id;
  if (columns.workspace_id !== null) span.workspaceId = columns.workspace_id;
  if (columns.input !== null) span.input = JSON.parse(columns.input);
  if (columns.output !== null) span.output = JSON.parse(columns.output);
  return span;
}

function scoreFromColumns(columns: Selectable<TraceScoresTable>): TraceScore {
  const score: TraceScore = {
    id: columns.id,
    traceId: columns.trace_id,
    name: columns.name,
    value: JSON.parse(columns.value) as TraceScore['value'],
    dataType: columns.data_type as TraceScore['dataType'],
    source: columns.source as TraceScore['source'],
    createdAt: Number(columns.created_at),
  };
  if (columns.span_id !== null) score.spanId = columns.span_id;
  if (columns.comment !== null) score.comment = columns.comment;
  if (columns.organisation_id !== null) score.organisationId = columns.organisation_id;
  if (columns.workspace_id !== null) score.workspaceId = columns.workspace_id;
  return score;
}

/**
 * The {@link TraceStore} on SQLite or PostgreSQL. `trace_spans` holds applications' spans; the gateway's
 * request, stage and attempt spans are derived from the traced rows of `usage_ledger` (same database) when a
 * trace is read, and every read merges both; a list page is found from the newest entries, at a cost about the
 * page's (`sql-trace-listing.ts`). On SQLite, spans are inserted with one prepared statement in
 * one transaction per batch on the raw handle (as the usage ledger does), and reads go to the read-only
 * connection, so neither waits behind an admin transaction holding Kysely's single connection.
 */
export class SqlTraceStore implements TraceStore {
  private readonly kysely: Kysely<TraceTables>;
  private readonly reader: Kysely<TraceTables>;
  private readonly sqliteAppend?: (spans: readonly TraceSpan[]) => void;

  constructor(database: Database) {
    this.kysely = database.kysely as unknown as Kysely<TraceTables>;
    this.reader = (database.reader ?? database.kysely) as unknown as Kysely<TraceTables>;
    const sqlite = database.sqlite;
    if (sqlite !== undefined) {
      const insert = sqlite.prepare(
        `insert into trace_spans (${spanColumns.join(', ')}) values (${spanColumns.map(() => '?').join(', ')}) on conflict (trace_id, span_id) do nothing`,
      );
      this.sqliteAppend = sqlite.transaction((spans: readonly TraceSpan[]) => {
        for (const span of spans) {
          const columns = toColumns(span);
          insert.run(spanColumns.map((column) => columns[column]));
        }
      });
    }
  }

  async appendSpans(spans: readonly TraceSpan[]): Promise<void> {
    if (spans.length === 0) return;
    if (this.sqliteAppend !== undefined) {
      this.sqliteAppend(spans);
      return;
    }
    for (let offset = 0; offset < spans.length; offset += spansPerInsert) {
      const values = spans.slice(offset, offset + spansPerInsert).map(toColumns);
      await this.kysely.insertInto('trace_spans').values(values).onConflict((conflict) => conflict.columns(['trace_id', 'span_id']).doNothing()).execute();
    }
  }

  async addScore(score: TraceScore): Promise<void> {
    await this.kysely
      .insertInto('trace_scores')
      .values({
        id: score.id,
        trace_id: score.traceId,
        span_id: score.spanId ?? null,
        name: score.name,
        value: JSON.stringify(score.value),
        data_type: score.dataType,
        source: score.source,
        comment: score.comment ?? null,
        created_at: score.createdAt,
        organisation_id: score.organisationId ?? null,
        workspace_id: score.workspaceId ?? null,
      })
      .onConflict((conflict) => conflict.column('id').doNothing())
      .execute();
  }

  async listTraces(query: TraceQuery): Promise<TracePage> {
    const limit = traceLimitOf(query);
    const after = query.cursor === undefined ? undefined : parseTraceCursor(query.cursor);
    const keys = await listTraceKeys(this.reader, query, limit, after);
    const page = keys.slice(0, limit).map((key) => key.traceId);
    if (page.length === 0) return { traces: [] };
    const spans = await this.reader
      .selectFrom('trace_spans')
      .select(['trace_id', 'span_id', 'parent_span_id', 'name', 'kind', 'start_time', 'end_time', 'status', 'request_id', 'session_id'])
      .where('trace_id', 'in', page)
      .execute();
    const byTrace = new Map<string, SummarisedSpan[]>();
    const add = (span: SummarisedSpan) => {
      const list = byTrace.get(span.traceId);
      if (list === undefined) byTrace.set(span.traceId, [span]);
      else list.push(span);
    };
    for (const row of spans) {
      add({
        traceId: row.trace_id,
        spanId: row.span_id,
        parentSpanId: row.parent_span_id ?? undefined,
        name: row.name,
        kind: row.kind as SpanKind,
        startTime: Number(row.start_time),
        endTime: Number(row.end_time),
        status: row.status === 'error' ? 'error' : 'ok',
        requestId: row.request_id ?? undefined,
        sessionId: row.session_id ?? undefined,
      });
    }
    for (const row of await this.requestsOf(page)) for (const span of buildRequestSpans(row)) add(span);
    const traces = page.flatMap((traceId) => {
      const list = byTrace.get(traceId);
      return list === undefined ? [] : [summariseTrace(list)];
    });
    // The cursor is the last listed trace's key, which is its first start only when no scope is given.
    const last = keys[page.length - 1];
    return keys.length > limit ? { traces, nextCursor: traceCursorOf({ startTime: last.firstStart, traceId: last.traceId }) } : { traces };
  }

  async getTrace(traceId: string): Promise<StoredTrace | undefined> {
    const stored = await this.reader.selectFrom('trace_spans').selectAll().where('trace_id', '=', traceId).orderBy('start_time').orderBy('span_id').execute();
    const derived = (await this.requestsOf([traceId])).flatMap(buildRequestSpans);
    if (stored.length === 0 && derived.length === 0) return undefined;
    const spans = stored.map(fromColumns).concat(derived).sort(bySpanStart);
    const scores = await this.reader.selectFrom('trace_scores').selectAll().where('trace_id', '=', traceId).orderBy('created_at').orderBy('id').execute();
    return { traceId, spans, scores: scores.map(scoreFromColumns) };
  }

  /** The traced requests of some traces (the `usage_ledger_trace` index answers it). */
  private async requestsOf(traceIds: readonly string[]): Promise<LedgerRow[]> {
    const rows = await this.reader.selectFrom('usage_ledger').selectAll().where('trace_id', 'in', traceIds).orderBy('timestamp').orderBy('id').execute();
    return rows.map(ledgerRowOfColumns);
  }

  async prune(before: number, maxSpans: number): Promise<number> {
    // The start time of the maxSpans-th oldest span bounds this batch (the start_time index answers it).
    const cut = await this.kysely
      .selectFrom('trace_spans')
      .select('start_time')
      .where('start_time', '<', before)
      .orderBy('start_time')
      .offset(Math.max(0, maxSpans - 1))
      .limit(1)
      .executeTakeFirst();
    const bound = cut === undefined ? before : Math.min(before, Number(cut.start_time) + 1);
    const deleted = await this.kysely.deleteFrom('trace_spans').where('start_time', '<', bound).executeTakeFirst();
    await this.kysely.deleteFrom('trace_scores').where('created_at', '<', before).execute();
    return Number(deleted.numDeletedRows);
  }
}
