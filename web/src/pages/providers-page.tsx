import { useState } from 'react';
import { apiGet, type ListAnswer } from '../api.js';
import type { DeploymentStatus } from '../analytics.js';
import { BarChart } from '../charts/bar-chart.js';
import { Show } from '../components/status.js';
import { useLoad } from '../components/use-api.js';
import { formatMs } from '../format.js';

interface ProviderView {
  name: string;
  kind: string;
  origin: string;
  selfHosted: boolean;
}

const stateLabel: Record<DeploymentStatus['state'], string> = { closed: 'healthy (closed)', open: 'open: refusing calls', 'half-open': 'half-open: probing' };

/** Deployments with their circuit state, calls in flight and latency, and the providers they run on. */
export function ProvidersPage() {
  const [refreshed, setRefreshed] = useState(0);
  const deployments = useLoad(() => apiGet<ListAnswer<DeploymentStatus>>('/admin/v1/deployments'), [refreshed]);
  const providers = useLoad(() => apiGet<ListAnswer<ProviderView>>('/admin/v1/providers'), [refreshed]);
  return (
    <section>
      <header className="page-header">
        <h2>Providers and deployments</h2>
        <button type="button" onClick={() => setRefreshed((count) => count + 1)}>
          Refresh
        </button>
      </header>
      <Show loaded={deployments} what="GET /admin/v1/deployments">
        {(list) => (
          <>
            <table data-testid="deployments">
              <thead>
                <tr>
                  <th>deployment</th>
                  <th>provider</th>
                  <th>upstream model</th>
                  <th>serves</th>
                  <th>circuit</th>
                  <th>failures in a row</th>
                  <th>in flight</th>
                  <th>latency (avg)</th>
                </tr>
              </thead>
              <tbody>
                {list.data.map((deployment) => (
                  <tr key={deployment.deploymentId}>
                    <td>{deployment.deploymentId}</td>
                    <td>{deployment.provider}</td>
                    <td>{deployment.model}</td>
                    <td>{deployment.groups.join(', ')}</td>
                    <td>
                      <span className={`badge state-${deployment.state}`} data-testid={`circuit-${deployment.deploymentId}`}>
                        {stateLabel[deployment.state]}
                      </span>
                    </td>
                    <td>{deployment.consecutiveFailures}</td>
                    <td>{deployment.inFlight}</td>
                    <td>{formatMs(deployment.latencyMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <BarChart title="Latency by deployment (moving average)" format={formatMs} bars={list.data.filter((deployment) => deployment.latencyMs !== undefined).map((deployment) => ({ label: deployment.deploymentId, value: deployment.latencyMs ?? 0 }))} />
          </>
        )}
      </Show>
      <h3>Providers</h3>
      <Show loaded={providers} what="GET /admin/v1/providers">
        {(list) => (
          <table data-testid="providers">
            <thead>
              <tr>
                <th>name</th>
                <th>kind</th>
                <th>from</th>
                <th>self-hosted</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((provider) => (
                <tr key={provider.name}>
                  <td>{provider.name}</td>
                  <td>{provider.kind}</td>
                  <td>{provider.origin}</td>
                  <td>{provider.selfHosted ? 'yes' : 'no'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Show>
    </section>
  );
}
