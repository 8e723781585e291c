import { useState } from 'react';
import { apiGet, type ListAnswer } from '../api.js';
import { BarChart } from '../charts/bar-chart.js';
import { Show } from '../components/status.js';
import { useLoad } from '../components/use-api.js';
import { formatTime } from '../format.js';

interface AlertRule {
  id: string;
  name: string;
  enabled?: boolean;
  severity?: string;
  [field: string]: unknown;
}

interface Alert {
  id: string;
  ruleId: string;
  ruleName: string;
  severity: 'info' | 'warning' | 'critical';
  state: 'firing' | 'resolved';
  value: number;
  threshold: number;
  message: string;
  firedAt: number;
  resolvedAt?: number;
}

/** Alert rules, and the alerts they raised (firing first), with how often each rule fired. */
export function AlertsPage() {
  const [state, setState] = useState('');
  const rules = useLoad(() => apiGet<ListAnswer<AlertRule>>('/admin/v1/alert-rules'), []);
  const alerts = useLoad(() => apiGet<ListAnswer<Alert>>('/admin/v1/alerts', { state, limit: 200 }), [state]);
  return (
    <section>
      <header className="page-header">
        <h2>Alerts</h2>
        <label className="field">
          State{' '}
          <select aria-label="Alert state" value={state} onChange={(event) => setState(event.target.value)}>
            <option value="">any</option>
            <option value="firing">firing</option>
            <option value="resolved">resolved</option>
          </select>
        </label>
      </header>
      <Show loaded={alerts} what="GET /admin/v1/alerts">
        {(list) => {
          const counts = new Map<string, number>();
          for (const alert of list.data) counts.set(alert.ruleName, (counts.get(alert.ruleName) ?? 0) + 1);
          const sorted = [...list.data].sort((left, right) => Number(right.state === 'firing') - Number(left.state === 'firing') || right.firedAt - left.firedAt);
          return (
            <>
              <BarChart title="Alerts by rule" format={(value) => String(value)} color="#e09b2d" bars={[...counts].map(([label, value]) => ({ label, value }))} />
              <table data-testid="alerts">
                <thead>
                  <tr>
                    <th>state</th>
                    <th>severity</th>
                    <th>rule</th>
                    <th>message</th>
                    <th>value / threshold</th>
                    <th>fired</th>
                    <th>resolved</th>
                  </tr>
                </thead>
                <tbody>
                  {sorted.map((alert) => (
                    <tr key={alert.id}>
                      <td>
                        <span className={`badge alert-${alert.state}`}>{alert.state}</span>
                      </td>
                      <td>
                        <span className={`badge severity-${alert.severity}`}>{alert.severity}</span>
                      </td>
                      <td>{alert.ruleName}</td>
                      <td>{alert.message}</td>
                      <td>
                        {alert.value} / {alert.threshold}
                      </td>
                      <td>{formatTime(alert.firedAt)}</td>
                      <td>{alert.resolvedAt === undefined ? '–' : formatTime(alert.resolvedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          );
        }}
      </Show>
      <h3>Rules</h3>
      <Show loaded={rules} what="GET /admin/v1/alert-rules">
        {(list) => (
          <table data-testid="alert-rules">
            <thead>
              <tr>
                <th>name</th>
                <th>id</th>
                <th>enabled</th>
                <th>definition</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((rule) => {
                const { id, name, enabled, ...definition } = rule;
                return (
                  <tr key={id}>
                    <td>{name}</td>
                    <td>
                      <code>{id}</code>
                    </td>
                    <td>{enabled === false ? 'no' : 'yes'}</td>
                    <td>
                      <code className="small">{JSON.stringify(definition)}</code>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Show>
    </section>
  );
}
