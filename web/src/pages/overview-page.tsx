import { useState } from 'react';
import { apiGet } from '../api.js';
import type { AnalyticsOverview, BreakdownDimension, Percentiles, SeriesBucket } from '../analytics.js';
import { BarChart } from '../charts/bar-chart.js';
import { LineChart, type ChartSeries } from '../charts/line-chart.js';
import { Show } from '../components/status.js';
import { TimeRangePicker } from '../components/time-range.js';
import { useLoad } from '../components/use-api.js';
import { formatCount, formatMoney, formatMs, formatPercent } from '../format.js';

const dimensions: BreakdownDimension[] = ['model', 'provider', 'key', 'team', 'workspace'];

const percentileColors: Record<keyof Percentiles, string> = { p50: '#3b6fd8', p95: '#e09b2d', p99: '#d64545' };

/** One chart line per percentile of a measure, over the buckets. */
function percentileLines(overview: AnalyticsOverview, measure: (bucket: SeriesBucket) => Percentiles, percentiles: Array<keyof Percentiles>): ChartSeries[] {
  return percentiles.map((percentile) => ({ name: percentile, color: percentileColors[percentile], values: overview.series.map((bucket) => measure(bucket)[percentile]) }));
}

function Stat({ label, value, testId, note }: { label: string; value: string; testId: string; note?: string }) {
  return (
    <div className="stat">
      <span className="muted">{label}</span>
      <strong data-testid={testId}>{value}</strong>
      {note === undefined ? null : <span className="muted small">{note}</span>}
    </div>
  );
}

/** Requests, errors, latency, time to first token, tokens and cost over a chosen range, with breakdowns. */
export function OverviewPage() {
  const [rangeMs, setRangeMs] = useState(86_400_000);
  const [groupBy, setGroupBy] = useState<BreakdownDimension>('model');
  const [refreshed, setRefreshed] = useState(0);
  const loaded = useLoad(() => {
    const until = Date.now();
    return apiGet<AnalyticsOverview>('/admin/v1/analytics/overview', { since: until - rangeMs, until, groupBy });
  }, [rangeMs, groupBy, refreshed]);
  return (
    <section>
      <header className="page-header">
        <h2>Overview</h2>
        <div className="toolbar">
          <TimeRangePicker value={rangeMs} onChange={setRangeMs} />
          <label className="field">
            Break down by{' '}
            <select aria-label="Break down by" value={groupBy} onChange={(event) => setGroupBy(event.target.value as BreakdownDimension)}>
              {dimensions.map((dimension) => (
                <option key={dimension}>{dimension}</option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => setRefreshed((count) => count + 1)}>
            Refresh
          </button>
        </div>
      </header>
      <Show loaded={loaded} what="GET /admin/v1/analytics/overview">
        {(overview) => {
          const times = overview.series.map((bucket) => bucket.start);
          const { totals } = overview;
          return (
            <>
              <div className="stats">
                <Stat label="Requests" value={formatCount(totals.requests)} testId="stat-requests" />
                <Stat label="Errors" value={formatCount(totals.errors)} testId="stat-errors" note={formatPercent(totals.errors, totals.requests)} />
                <Stat label="Latency p50 / p95 / p99" value={`${formatMs(totals.latencyMs.p50)} / ${formatMs(totals.latencyMs.p95)} / ${formatMs(totals.latencyMs.p99)}`} testId="stat-latency" />
                <Stat label="Time to first token p50 / p95" value={`${formatMs(totals.timeToFirstTokenMs.p50)} / ${formatMs(totals.timeToFirstTokenMs.p95)}`} testId="stat-ttft" />
                <Stat label="Tokens in / out" value={`${formatCount(totals.inputTokens)} / ${formatCount(totals.outputTokens)}`} testId="stat-tokens" />
                <Stat label="Cost" value={formatMoney(totals.costMicros)} testId="stat-cost" />
              </div>
              <p className="muted small">
                {overview.source === 'rollup' ? 'Counts from the daily rollups (whole UTC days).' : 'Counts from every request row.'} Percentiles from {formatCount(totals.sampled)} sampled requests.
              </p>
              <div className="grid">
                <LineChart
                  title="Requests and errors"
                  times={times}
                  format={(value) => formatCount(Math.round(value))}
                  area
                  series={[
                    { name: 'requests', color: '#3b6fd8', values: overview.series.map((bucket) => bucket.requests) },
                    { name: 'errors', color: '#d64545', values: overview.series.map((bucket) => bucket.errors) },
                  ]}
                />
                <LineChart title="Latency" times={times} format={formatMs} series={percentileLines(overview, (bucket) => bucket.latencyMs, ['p50', 'p95', 'p99'])} />
                <LineChart title="Time to first token" times={times} format={formatMs} series={percentileLines(overview, (bucket) => bucket.timeToFirstTokenMs, ['p50', 'p95'])} />
                <LineChart
                  title="Tokens"
                  times={times}
                  format={(value) => formatCount(Math.round(value))}
                  series={[
                    { name: 'input', color: '#3b6fd8', values: overview.series.map((bucket) => bucket.inputTokens) },
                    { name: 'output', color: '#2f9e6e', values: overview.series.map((bucket) => bucket.outputTokens) },
                  ]}
                />
                <LineChart title="Cost" times={times} format={formatMoney} area series={[{ name: 'cost', color: '#7a4fd1', values: overview.series.map((bucket) => bucket.costMicros) }]} />
                <BarChart
                  title={`Cost by ${overview.groupBy}`}
                  format={formatMoney}
                  bars={overview.breakdown.map((row) => ({ label: row.value ?? '(none)', value: row.costMicros, note: `${formatMoney(row.costMicros)} · ${formatCount(row.requests)} req` }))}
                />
                <BarChart
                  title="Top spenders (keys)"
                  color="#7a4fd1"
                  format={formatMoney}
                  bars={overview.topSpenders.map((row) => ({ label: row.value ?? '(none)', value: row.costMicros }))}
                />
              </div>
              <table data-testid="breakdown">
                <thead>
                  <tr>
                    <th>{overview.groupBy}</th>
                    <th>requests</th>
                    <th>errors</th>
                    <th>tokens in</th>
                    <th>tokens out</th>
                    <th>cost</th>
                  </tr>
                </thead>
                <tbody>
                  {overview.breakdown.map((row) => (
                    <tr key={row.value ?? '(none)'}>
                      <td>{row.value ?? '(none)'}</td>
                      <td>{formatCount(row.requests)}</td>
                      <td>{formatCount(row.errors)}</td>
                      <td>{formatCount(row.inputTokens)}</td>
                      <td>{formatCount(row.outputTokens)}</td>
                      <td>{formatMoney(row.costMicros)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          );
        }}
      </Show>
    </section>
  );
}
