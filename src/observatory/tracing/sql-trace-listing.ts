import type { Kysely } from 'kysely';
import type { TraceTables } from './sql-trace-tables.js';
import type { TraceQuery } from './trace-types.js';

/** A trace's place in the list: newest first by `firstStart`, then by trace id (descending). */
export interface TraceListKey {
  traceId: string;
  /** The start of the trace's first entry (its first one of the query's workspace or organisation, if any). */
  firstStart: number;
}

/** Where a page continues: after this key. */
export interface TraceListCursor {
  startTime: number;
  traceId: string;
}

/** An entry of a trace: one stored span, or one traced ledger row (its derived spans start at its timestamp). */
interface TraceEntry {
  traceId: string;
  start: number;
}

// Trace ids per `IN (...)` query: far below both databases' bound-parameter limits.
const traceIdsPerQuery = 500;

/**
 * The keys of the traces of a page and of the one after it (up to `limit + 1`, in list order), for
 * {@link SqlTraceStore.listTraces}. It costs about the page, not the store: listing by first entry over every
 * entry would group all of them. Instead it reads the newest `window` entries below the page's upper bound
 * (the `until` bound and the cursor) through the start-time indexes, computes the true first start of the
 * traces they belong to through the trace-id indexes, and keeps the traces whose first start is newer than
 * the window's oldest entry: every trace whose first entry lies in the window is among them, and any other
 * trace starts before all of them. When fewer than `limit + 1` remain and older entries exist, the window
 * doubles (a trace that keeps receiving entries long after its first one only widens the window it needs).
 * A request or session filter is selective: its traces are found directly, through those indexes.
 */
export async function listTraceKeys(reader: Kysely<TraceTables>, query: TraceQuery, limit: number, after: TraceListCursor | undefined): Promise<TraceListKey[]> {
  const scope = { workspaceId: query.workspaceId, organisationId: query.organisationId };
  const wanted = (key: TraceListKey) =>
    (query.since === undefined || key.firstStart >= query.since) &&
    (query.until === undefined || key.firstStart < query.until) &&
    (after === undefined || key.firstStart < after.startTime || (key.firstStart === after.startTime && key.traceId < after.traceId));
  if (query.requestId !== undefined || query.sessionId !== undefined) {
    const traceIds = await selectedTraces(reader, query.requestId, query.sessionId);
    const keys = await firstStarts(reader, scope, traceIds);
    return [...keys].map(([traceId, firstStart]) => ({ traceId, firstStart })).filter(wanted).sort(byListOrder).slice(0, limit + 1);
  }
  const range: EntryRange = { ...scope, from: query.since, below: query.until, atMost: after?.startTime };
  const known = new Map<string, number>();
  for (let window = Math.max(64, 4 * (limit + 1)); ; window *= 2) {
    const { entries, exhausted } = await newestEntries(reader, range, window);
    const candidates = [...new Set(entries.map((entry) => entry.traceId))];
    for (const [traceId, firstStart] of await firstStarts(reader, scope, candidates.filter((traceId) => !known.has(traceId)))) known.set(traceId, firstStart);
    // Entries that share the window's oldest start may not all be in it, so a trace that starts there is
    // only certain once the window is past it.
    const oldest = exhausted ? -Infinity : entries[entries.length - 1].start;
    const found = candidates.flatMap((traceId) => {
      const firstStart = known.get(traceId);
      return firstStart !== undefined && firstStart > oldest && wanted({ traceId, firstStart }) ? [{ traceId, firstStart }] : [];
    });
    if (found.length > limit || exhausted) return found.sort(byListOrder).slice(0, limit + 1);
  }
}

function byListOrder(left: TraceListKey, right: TraceListKey): number {
  return right.firstStart - left.firstStart || (right.traceId < left.traceId ? -1 : right.traceId > left.traceId ? 1 : 0);
}

/** The entries a page is looked for in: of a workspace or organisation, from `from`, below `below`, up to `atMost`. */
interface EntryRange {
  workspaceId?: string;
  organisationId?: string;
  from?: number;
  below?: number;
  atMost?: number;
}

/**
 * The newest `count` entries of a range (stored spans and traced ledger rows together), newest first; or all
 * of them, `exhausted`, when the range holds fewer than `count` of either kind.
 */
async function newestEntries(reader: Kysely<TraceTables>, range: EntryRange, count: number): Promise<{ entries: TraceEntry[]; exhausted: boolean }> {
  let spans = reader.selectFrom('trace_spans').select(['trace_id', 'start_time']);
  if (range.workspaceId !== undefined) spans = spans.where('workspace_id', '=', range.workspaceId);
  if (range.organisationId !== undefined) spans = spans.where('organisation_id', '=', range.organisationId);
  if (range.from !== undefined) spans = spans.where('start_time', '>=', range.from);
  if (range.below !== undefined) spans = spans.where('start_time', '<', range.below);
  if (range.atMost !== undefined) spans = spans.where('start_time', '<=', range.atMost);
  let rows = reader.selectFrom('usage_ledger').select(['trace_id', 'timestamp']).where('trace_id', 'is not', null);
  if (range.workspaceId !== undefined) rows = rows.where('workspace_id', '=', range.workspaceId);
  if (range.organisationId !== undefined) rows = rows.where('organisation_id', '=', range.organisationId);
  if (range.from !== undefined) rows = rows.where('timestamp', '>=', range.from);
  if (range.below !== undefined) rows = rows.where('timestamp', '<', range.below);
  if (range.atMost !== undefined) rows = rows.where('timestamp', '<=', range.atMost);
  const [spanEntries, rowEntries] = await Promise.all([
    spans.orderBy('start_time', 'desc').limit(count).execute(),
    rows.orderBy('timestamp', 'desc').limit(count).execute(),
  ]);
  const entries: TraceEntry[] = spanEntries
    .map((span) => ({ traceId: span.trace_id, start: Number(span.start_time) }))
    .concat(rowEntries.map((row) => ({ traceId: row.trace_id as string, start: Number(row.timestamp) })))
    .sort((left, right) => right.start - left.start);
  // Past the `count`-th entry of the merged list, each kind may have more entries than it returned.
  const exhausted = spanEntries.length < count && rowEntries.length < count;
  return { entries: exhausted ? entries : entries.slice(0, count), exhausted };
}

/**
 * The first start of each trace over its entries in the scope (workspace and organisation, when given),
 * through the trace-id indexes; a trace without such an entry is left out.
 */
async function firstStarts(reader: Kysely<TraceTables>, scope: Pick<EntryRange, 'workspaceId' | 'organisationId'>, traceIds: readonly string[]): Promise<Map<string, number>> {
  const firsts = new Map<string, number>();
  const keep = (traceId: string, start: unknown) => {
    if (start === null || start === undefined) return;
    const value = Number(start);
    const known = firsts.get(traceId);
    if (known === undefined || value < known) firsts.set(traceId, value);
  };
  for (let offset = 0; offset < traceIds.length; offset += traceIdsPerQuery) {
    const chunk = traceIds.slice(offset, offset + traceIdsPerQuery);
    // The scope goes into the aggregate, not the WHERE clause: there, a planner may take the scope's index
    // and read every entry of the workspace instead of the candidates' entries (measured: SQLite did).
    const spans = reader
      .selectFrom('trace_spans')
      .select((select) => {
        const inScope = scopeConditions(scope).map(([column, value]) => select(column, '=', value));
        const start = inScope.length === 0 ? select.ref('start_time') : select.case().when(select.and(inScope)).then(select.ref('start_time')).end();
        return ['trace_id', select.fn.min(start).as('first_start')];
      })
      .where('trace_id', 'in', chunk);
    const rows = reader
      .selectFrom('usage_ledger')
      .select((select) => {
        const inScope = scopeConditions(scope).map(([column, value]) => select(column, '=', value));
        const start = inScope.length === 0 ? select.ref('timestamp') : select.case().when(select.and(inScope)).then(select.ref('timestamp')).end();
        return ['trace_id', select.fn.min(start).as('first_start')];
      })
      .where('trace_id', 'is not', null)
      .where('trace_id', 'in', chunk);
    const [spanFirsts, rowFirsts] = await Promise.all([spans.groupBy('trace_id').execute(), rows.groupBy('trace_id').execute()]);
    for (const span of spanFirsts) keep(span.trace_id, span.first_start);
    for (const row of rowFirsts) keep(row.trace_id as string, row.first_start);
  }
  return firsts;
}

/** The column conditions of a scope. */
function scopeConditions(scope: Pick<EntryRange, 'workspaceId' | 'organisationId'>): Array<['workspace_id' | 'organisation_id', string]> {
  const conditions: Array<['workspace_id' | 'organisation_id', string]> = [];
  if (scope.workspaceId !== undefined) conditions.push(['workspace_id', scope.workspaceId]);
  if (scope.organisationId !== undefined) conditions.push(['organisation_id', scope.organisationId]);
  return conditions;
}

/** The traces with a span (stored or derived) of the request and of the session, through their indexes. */
async function selectedTraces(reader: Kysely<TraceTables>, requestId: string | undefined, sessionId: string | undefined): Promise<string[]> {
  const sets: Array<Set<string>> = [];
  const tracesWhere = async (spanColumn: 'request_id' | 'session_id', rowColumn: 'id' | 'session_id', value: string) => {
    const [spans, rows] = await Promise.all([
      reader.selectFrom('trace_spans').select('trace_id').distinct().where(spanColumn, '=', value).execute(),
      reader.selectFrom('usage_ledger').select('trace_id').distinct().where(rowColumn, '=', value).where('trace_id', 'is not', null).execute(),
    ]);
    return new Set([...spans.map((span) => span.trace_id), ...rows.map((row) => row.trace_id as string)]);
  };
  if (requestId !== undefined) sets.push(await tracesWhere('request_id', 'id', requestId));
  if (sessionId !== undefined) sets.push(await tracesWhere('session_id', 'session_id', sessionId));
  const [first, ...others] = sets;
  return [...first].filter((traceId) => others.every((set) => set.has(traceId)));
}
