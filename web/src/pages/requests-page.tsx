import { useState, type FormEvent } from 'react';
import type { Query } from '../api.js';
import { Show } from '../components/status.js';
import { TimeRangeOptions } from '../components/time-range.js';
import { useLoad } from '../components/use-api.js';
import { formatCount, formatMoney, formatMs, formatTime } from '../format.js';
import { listRequests, type LedgerRow } from '../ledger.js';
import { linkProps, navigate, type Location } from '../router.js';

// The filter fields, in the order of the form; each is also a query parameter of the page and of the API.
const textFilters = [
  ['keyId', 'Key'],
  ['teamId', 'Team'],
  ['workspaceId', 'Workspace'],
  ['model', 'Model'],
  ['provider', 'Provider'],
  ['errorCode', 'Error code'],
  ['minLatencyMs', 'Min latency (ms)'],
  ['maxLatencyMs', 'Max latency (ms)'],
  ['minCostMicros', 'Min cost (µ$)'],
  ['maxCostMicros', 'Max cost (µ$)'],
  ['metadata', 'Metadata (name=value)'],
  ['q', 'Text'],
] as const;

function apiFilters(query: URLSearchParams, cursor: string | undefined): Query {
  const range = Number(query.get('range') ?? 86_400_000);
  const until = Date.now();
  const filters: Query = { since: until - range, until, status: query.get('status') ?? undefined, limit: 50, cursor };
  for (const [name] of textFilters) {
    const value = query.get(name) ?? '';
    if (value === '') continue;
    if (name === 'metadata') {
      const [metadataName, ...rest] = value.split('=');
      if (metadataName !== '' && rest.length > 0) filters[`metadata.${metadataName}`] = rest.join('=');
    } else filters[name] = value;
  }
  return filters;
}

function RequestTable({ rows }: { rows: LedgerRow[] }) {
  return (
    <table data-testid="requests">
      <thead>
        <tr>
          <th>time</th>
          <th>model</th>
          <th>provider</th>
          <th>key</th>
          <th>status</th>
          <th>latency</th>
          <th>tokens</th>
          <th>cost</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} className={row.status === 'error' ? 'error-row' : undefined}>
            <td>
              <a {...linkProps(`/requests/${encodeURIComponent(row.id)}`)}>{formatTime(row.timestamp)}</a>
            </td>
            <td>{row.servedModel ?? row.requestedModel}</td>
            <td>{row.servedProvider ?? '–'}</td>
            <td>{row.keyId ?? '–'}</td>
            <td>{row.status === 'ok' ? row.httpStatus : `${row.httpStatus} ${row.errorCode ?? ''}`}</td>
            <td>{formatMs(row.latencyMs)}</td>
            <td>{formatCount((row.inputTokens ?? 0) + (row.outputTokens ?? 0))}</td>
            <td>{formatMoney(row.costMicros)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The request explorer: filters in the page's query (so a filtered view can be shared), newest first, pages of 50. */
export function RequestsPage({ location }: { location: Location }) {
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const search = location.query.toString();
  const loaded = useLoad(() => listRequests(apiFilters(location.query, cursor)), [search, cursor]);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parameters = new URLSearchParams();
    for (const [name, value] of new FormData(event.currentTarget)) {
      if (typeof value === 'string' && value.trim() !== '') parameters.set(name, value.trim());
    }
    setCursors([undefined]);
    navigate(`/requests?${parameters.toString()}`);
  };
  return (
    <section>
      <header className="page-header">
        <h2>Requests</h2>
      </header>
      <form className="filters" onSubmit={submit} key={search}>
        <label className="field stacked">
          Time range
          <select name="range" defaultValue={location.query.get('range') ?? '86400000'}>
            <TimeRangeOptions />
          </select>
        </label>
        <label className="field stacked">
          Status
          <select name="status" defaultValue={location.query.get('status') ?? ''}>
            <option value="">any</option>
            <option value="ok">ok</option>
            <option value="error">error</option>
          </select>
        </label>
        {textFilters.map(([name, label]) => (
          <label className="field stacked" key={name}>
            {label}
            <input name={name} defaultValue={location.query.get(name) ?? ''} />
          </label>
        ))}
        <button type="submit">Apply filters</button>
      </form>
      <Show loaded={loaded} what="The request listing">
        {(page) => (
          <>
            {page.legacy ? (
              <p className="notice" data-testid="legacy-listing">
                Reading the older listing (<code>/admin/requests</code>, master key only): <code>/admin/v1/requests</code> is not available on this gateway.
                {page.ignoredFilters.length > 0 ? ` Ignored filters: ${page.ignoredFilters.join(', ')}.` : ''}
              </p>
            ) : null}
            <p className="muted small">{page.data.length === 0 ? 'No requests match.' : `${page.data.length} requests on this page.`}</p>
            <RequestTable rows={page.data} />
            <div className="toolbar">
              {cursors.length > 1 ? (
                <button type="button" onClick={() => setCursors((list) => list.slice(0, -1))}>
                  Newer
                </button>
              ) : null}
              {page.nextCursor !== undefined ? (
                <button type="button" onClick={() => setCursors((list) => [...list, page.nextCursor])}>
                  Older
                </button>
              ) : null}
            </div>
          </>
        )}
      </Show>
    </section>
  );
}
