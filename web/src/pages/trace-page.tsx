import { useState } from 'react';
import { apiGet } from '../api.js';
import { Waterfall } from '../charts/waterfall.js';
import { Show } from '../components/status.js';
import { useLoad } from '../components/use-api.js';
import { formatTime } from '../format.js';
import { linkProps } from '../router.js';
import { spanWaterfall, type Span, type TraceDetail } from '../traces.js';

function SpanAttributes({ span }: { span: Span }) {
  return (
    <div className="panel" data-testid="span-detail">
      <h4>
        {span.kind} <code>{span.name}</code> <span className="muted">{span.status}</span>
      </h4>
      {span.requestId === undefined ? null : (
        <p>
          request <a {...linkProps(`/requests/${encodeURIComponent(span.requestId)}`)}>{span.requestId}</a>
        </p>
      )}
      {span.input === undefined ? null : <pre className="message">input: {JSON.stringify(span.input, null, 2)}</pre>}
      {span.output === undefined ? null : <pre className="message">output: {JSON.stringify(span.output, null, 2)}</pre>}
      <table>
        <tbody>
          {Object.entries(span.attributes).map(([name, value]) => (
            <tr key={name}>
              <td>
                <code>{name}</code>
              </td>
              <td>{String(value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One trace: its spans as a waterfall (click a span's row in the list for its attributes) and its scores. */
export function TracePage({ traceId }: { traceId: string }) {
  const loaded = useLoad(() => apiGet<TraceDetail>(`/admin/v1/traces/${encodeURIComponent(traceId)}`), [traceId]);
  const [selected, setSelected] = useState<string | undefined>();
  return (
    <section>
      <header className="page-header">
        <h2>
          Trace <code>{traceId}</code>
        </h2>
      </header>
      <Show loaded={loaded} what="GET /admin/v1/traces/{traceId}">
        {(trace) => {
          const items = spanWaterfall(trace.spans);
          const span = trace.spans.find((candidate) => candidate.spanId === selected);
          return (
            <>
              <Waterfall title="Spans" items={items} />
              <ul className="span-list">
                {items.map((item) => (
                  <li key={item.id} style={{ paddingLeft: `${item.depth * 14}px` }}>
                    <button type="button" className="link" onClick={() => setSelected(item.id)}>
                      {item.label}
                    </button>
                  </li>
                ))}
              </ul>
              {span === undefined ? null : <SpanAttributes span={span} />}
              <h3>Scores</h3>
              {trace.scores.length === 0 ? (
                <p className="muted">No scores yet.</p>
              ) : (
                <table data-testid="scores">
                  <thead>
                    <tr>
                      <th>name</th>
                      <th>value</th>
                      <th>source</th>
                      <th>comment</th>
                      <th>when</th>
                    </tr>
                  </thead>
                  <tbody>
                    {trace.scores.map((score) => (
                      <tr key={score.id}>
                        <td>{score.name}</td>
                        <td>{String(score.value)}</td>
                        <td>{score.source}</td>
                        <td>{score.comment ?? ''}</td>
                        <td>{formatTime(score.createdAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </>
          );
        }}
      </Show>
    </section>
  );
}
