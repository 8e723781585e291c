import { Waterfall, type WaterfallItem } from '../charts/waterfall.js';
import { Show } from '../components/status.js';
import { useLoad } from '../components/use-api.js';
import { formatCount, formatMoney, formatMs, formatTime } from '../format.js';
import { getRequest, type LedgerRow, type RequestDetail } from '../ledger.js';
import { linkProps } from '../router.js';
import { tracesOfRequest } from '../traces.js';

// The ledger keeps durations, not start times: the attempts are laid one after another from the request's
// start, and the time the gateway itself added is shown as one bar (its split before and after is not kept).
function timings(row: LedgerRow): WaterfallItem[] {
  const items: WaterfallItem[] = [{ id: 'request', label: 'request', start: 0, end: row.latencyMs, depth: 0, status: row.status }];
  let at = 0;
  row.attempts.forEach((attempt, index) => {
    items.push({ id: `attempt-${index}`, label: `attempt ${index + 1}: ${attempt.provider}/${attempt.model}`, start: at, end: at + attempt.durationMs, depth: 1, status: attempt.outcome === 'ok' ? 'ok' : 'error', detail: `${attempt.outcome} ${attempt.errorCode ?? ''}` });
    at += attempt.durationMs;
  });
  if (row.timeToFirstTokenMs !== undefined) items.push({ id: 'ttft', label: 'time to first token', start: 0, end: row.timeToFirstTokenMs, depth: 1, status: 'ok' });
  if (row.gatewayOverheadMs !== undefined) items.push({ id: 'overhead', label: 'gateway overhead', start: at, end: at + row.gatewayOverheadMs, depth: 1, status: 'ok' });
  return items;
}

interface ChatMessage {
  role?: string;
  content?: unknown;
  tool_calls?: Array<{ function?: { name?: string; arguments?: string } }>;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (typeof part === 'object' && part !== null && 'text' in part ? String((part as { text: unknown }).text) : JSON.stringify(part))).join('\n');
  return content === undefined || content === null ? '' : JSON.stringify(content);
}

function Payload({ detail }: { detail: RequestDetail & { legacy: boolean } }) {
  if (detail.legacy) return <p className="notice" data-testid="unavailable">Prompt and completion are not available: <code>/admin/v1/requests/{'{id}'}</code> does not exist on this gateway yet.</p>;
  const payload = detail.payload;
  if (payload === undefined || payload.mode === 'metadata') return <p className="muted">The prompt and completion were not stored (metadata only, or pruned by retention).</p>;
  const body = (payload.request ?? {}) as { messages?: ChatMessage[]; system?: unknown; tools?: Array<{ function?: { name?: string }; name?: string }> };
  const messages = body.messages ?? [];
  const toolCalls = messages.flatMap((message) => message.tool_calls ?? []);
  return (
    <>
      <h3>Prompt {payload.mode === 'redacted' ? <span className="muted small">(redacted)</span> : null}</h3>
      <div className="messages" data-testid="prompt">
        {body.system === undefined ? null : <pre className="message"><b>system</b>{'\n'}{textOf(body.system)}</pre>}
        {messages.map((message, index) => (
          <pre key={index} className="message">
            <b>{message.role ?? 'message'}</b>
            {'\n'}
            {textOf(message.content)}
          </pre>
        ))}
      </div>
      <h3>Completion</h3>
      <pre className="message" data-testid="completion">{payload.response?.text ?? ''}</pre>
      {(body.tools?.length ?? 0) > 0 || toolCalls.length > 0 ? (
        <>
          <h3>Tools and tool calls</h3>
          <ul>
            {(body.tools ?? []).map((tool, index) => (
              <li key={`tool-${index}`}>offered: {tool.function?.name ?? tool.name ?? '?'}</li>
            ))}
            {toolCalls.map((call, index) => (
              <li key={`call-${index}`}>
                called: <code>{call.function?.name}</code> <code>{call.function?.arguments}</code>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

function TraceLinks({ requestId }: { requestId: string }) {
  const loaded = useLoad(() => tracesOfRequest(requestId), [requestId]);
  return (
    <Show loaded={loaded} what="GET /admin/v1/traces">
      {(traces) =>
        traces === undefined ? (
          <p className="notice" data-testid="unavailable">Traces and scores are not available: <code>/admin/v1/traces</code> does not exist on this gateway yet.</p>
        ) : traces.length === 0 ? (
          <p className="muted">No trace recorded for this request.</p>
        ) : (
          <ul>
            {traces.map((trace) => (
              <li key={trace.traceId}>
                <a {...linkProps(`/traces/${encodeURIComponent(trace.traceId)}`)}>trace {trace.name || trace.traceId}</a> <span className="muted">({trace.spanCount} spans, {trace.status}; scores are on the trace page)</span>
              </li>
            ))}
          </ul>
        )
      }
    </Show>
  );
}

/** One request: who, what, how it went, its prompt and completion, attempts, timings, usage and cost, trace. */
export function RequestDetailPage({ requestId }: { requestId: string }) {
  const loaded = useLoad(() => getRequest(requestId), [requestId]);
  return (
    <section>
      <header className="page-header">
        <h2>
          Request <code>{requestId}</code>
        </h2>
        <a {...linkProps('/requests')}>back to requests</a>
      </header>
      <Show loaded={loaded} what="GET /admin/v1/requests/{id}">
        {(detail) => {
          const row = detail.row;
          const facts: Array<[string, string]> = [
            ['time', formatTime(row.timestamp)],
            ['status', `${row.status} (${row.httpStatus}${row.errorCode === undefined ? '' : `, ${row.errorCode}`})`],
            ['model', `${row.requestedModel}${row.servedModel !== undefined && row.servedModel !== row.requestedModel ? ` → ${row.servedModel}` : ''}`],
            ['provider', row.servedProvider ?? '–'],
            ['key / team / workspace', `${row.keyId ?? '–'} / ${row.teamId ?? '–'} / ${row.workspaceId ?? '–'}`],
            ['API', `${row.dialect} ${row.operation}${row.stream ? ' (stream)' : ''}`],
            ['latency', formatMs(row.latencyMs)],
            ['time to first token', formatMs(row.timeToFirstTokenMs)],
            ['gateway overhead', formatMs(row.gatewayOverheadMs)],
            ['tokens (input / cache read / cache write / output / reasoning)', [row.inputTokens, row.cacheReadTokens, row.cacheWriteTokens, row.outputTokens, row.reasoningTokens].map(formatCount).join(' / ')],
            ['usage from', row.usageSource],
            ['cost', formatMoney(row.costMicros)],
            ['finish reason', row.finishReason ?? '–'],
          ];
          return (
            <>
              <dl className="facts" data-testid="request-facts">
                {facts.map(([name, value]) => (
                  <div key={name}>
                    <dt>{name}</dt>
                    <dd>{value}</dd>
                  </div>
                ))}
              </dl>
              <Waterfall title="Timings" items={timings(row)} />
              <h3>Attempts</h3>
              <table data-testid="attempts">
                <thead>
                  <tr>
                    <th>#</th>
                    <th>deployment</th>
                    <th>outcome</th>
                    <th>upstream status</th>
                    <th>duration</th>
                  </tr>
                </thead>
                <tbody>
                  {row.attempts.map((attempt, index) => (
                    <tr key={index}>
                      <td>{index + 1}</td>
                      <td>{attempt.deploymentId}</td>
                      <td>{`${attempt.outcome}${attempt.errorCode === undefined ? '' : ` (${attempt.errorCode})`}`}</td>
                      <td>{attempt.upstreamStatus ?? '–'}</td>
                      <td>{formatMs(attempt.durationMs)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Payload detail={detail} />
              <h3>Trace and scores</h3>
              <TraceLinks requestId={row.id} />
            </>
          );
        }}
      </Show>
    </section>
  );
}
