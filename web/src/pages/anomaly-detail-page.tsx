import { useState } from 'react';
import { actionLabel, anomaliesPath, metricFormat, seriesLabel, subjectLabel, type Incident, type Remediation, type SeriesEvidence } from '../anomalies.js';
import { apiGet, apiPost, type ListAnswer } from '../api.js';
import { LineChart } from '../charts/line-chart.js';
import { Show } from '../components/status.js';
import { ActionError, useAction } from '../components/use-action.js';
import { useLoad } from '../components/use-api.js';
import { formatMs, formatTime } from '../format.js';
import { linkProps } from '../router.js';

/**
 * One incident: its facts, the root-cause hint, each series of evidence as a chart (value, baseline and the
 * band a normal bucket stays within), and its remediation with Approve / Reject while it waits for a person.
 */
export function AnomalyDetailPage({ incidentId }: { incidentId: string }) {
  const [version, setVersion] = useState(0);
  const loaded = useLoad(async () => {
    // The API lists incidents (open, and the recently cleared) and remediations; there is no per-id route.
    const [incidents, remediations] = await Promise.all([apiGet<ListAnswer<Incident>>(anomaliesPath), apiGet<ListAnswer<Remediation>>(`${anomaliesPath}/remediations`)]);
    return { incident: incidents.data.find((each) => each.id === incidentId), remediations: remediations.data.filter((each) => each.incidentId === incidentId) };
  }, [incidentId, version]);
  const { action, forbidden, run, busy } = useAction(() => setVersion((current) => current + 1));
  return (
    <section>
      <p>
        <a {...linkProps('/anomalies')}>← Anomalies</a>
      </p>
      <Show loaded={loaded} what={`GET ${anomaliesPath}`}>
        {({ incident, remediations }) =>
          incident === undefined ? (
            <p className="notice">
              No incident <code>{incidentId}</code> here. The gateway keeps open incidents and the 200 most recently cleared ones in memory; a restart forgets them.
            </p>
          ) : (
            <>
              <header className="page-header">
                <h2>
                  Anomaly of {incident.dimension} <code>{incident.subject}</code>
                </h2>
                <span>
                  <span className={`badge incident-${incident.state}`}>{incident.state}</span> <span className={`badge severity-${incident.severity}`}>{incident.severity}</span>
                </span>
              </header>
              <dl className="facts" data-testid="incident-facts">
                <div>
                  <dt>subject</dt>
                  <dd>{subjectLabel(incident)}</dd>
                </div>
                <div>
                  <dt>detected</dt>
                  <dd>{formatTime(incident.detectedAt)}</dd>
                </div>
                <div>
                  <dt>cleared</dt>
                  <dd>{incident.clearedAt === undefined ? 'not yet' : formatTime(incident.clearedAt)}</dd>
                </div>
                <div>
                  <dt>bucket</dt>
                  <dd>{incident.bucketMs % 1000 === 0 ? `${incident.bucketMs / 1000} s` : formatMs(incident.bucketMs)}</dd>
                </div>
                <div>
                  <dt>incident</dt>
                  <dd>
                    <code>{incident.id}</code>
                  </dd>
                </div>
              </dl>
              <div className="panel hint" data-testid="root-cause">
                <strong>Root-cause hint:</strong> {incident.hint.summary}
                <div className="muted small">
                  {incident.hint.dimension.replace('_', ' ')} <code>{incident.hint.value}</code> explains {Math.round(incident.hint.share * 100)} % of the deviation
                </div>
              </div>
              <h3>Evidence</h3>
              <div className="grid">
                {incident.evidence.map((evidence) => (
                  <EvidenceChart key={evidence.series} evidence={evidence} />
                ))}
              </div>
              <h3>Remediation</h3>
              <ActionError action={action} />
              {remediations.length === 0 ? (
                <p className="muted">No remediation: no policy matches this incident (or remediation is off).</p>
              ) : (
                <table data-testid="remediations">
                  <thead>
                    <tr>
                      <th>action</th>
                      <th>policy</th>
                      <th>state</th>
                      <th>trail</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    {remediations.map((remediation) => (
                      <tr key={remediation.id} data-testid={`remediation-${remediation.id}`}>
                        <td>
                          {actionLabel(remediation.action)}
                          {remediation.approvalReason === undefined ? null : <div className="muted small">Needs approval: {remediation.approvalReason}</div>}
                        </td>
                        <td>
                          <code>{remediation.policy}</code>
                        </td>
                        <td>
                          <span className={`badge remediation-${remediation.state}`} data-testid="remediation-state">
                            {remediation.state}
                          </span>
                        </td>
                        <td>
                          <RemediationTrail remediation={remediation} />
                        </td>
                        <td>
                          {remediation.state === 'pending-approval' && !forbidden ? (
                            <span className="actions">
                              <button type="button" disabled={busy} onClick={() => void run('Approve', () => apiPost(`${anomaliesPath}/remediations/${encodeURIComponent(remediation.id)}/approve`))}>
                                Approve
                              </button>
                              <button type="button" className="secondary" disabled={busy} onClick={() => void run('Reject', () => apiPost(`${anomaliesPath}/remediations/${encodeURIComponent(remediation.id)}/reject`))}>
                                Reject
                              </button>
                            </span>
                          ) : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </>
          )
        }
      </Show>
    </section>
  );
}

/** One series of evidence: the value per bucket against its baseline, over the shaded normal band. */
function EvidenceChart({ evidence }: { evidence: SeriesEvidence }) {
  const points = evidence.points;
  return (
    <LineChart
      title={`${seriesLabel(evidence)}${evidence.reason === 'drift' ? ' (sustained drift)' : ''}`}
      times={points.map((point) => point.bucketStart)}
      format={metricFormat(evidence.metric)}
      band={{ name: 'normal band', color: '#2d5bc0', lower: points.map((point) => point.lower), upper: points.map((point) => point.upper) }}
      series={[
        { name: 'value', color: '#c0392b', values: points.map((point) => point.value) },
        { name: 'baseline', color: '#6b7485', values: points.map((point) => point.baseline) },
      ]}
    />
  );
}

/** The audited steps of a remediation, in order: each is also an `anomaly.remediation.*` audit record. */
function RemediationTrail({ remediation }: { remediation: Remediation }) {
  const steps: Array<[string, string]> = [['proposed', formatTime(remediation.createdAt)]];
  if (remediation.decidedBy !== undefined) steps.push([remediation.state === 'rejected' ? 'rejected by' : 'approved by', remediation.decidedBy]);
  if (remediation.appliedAt !== undefined) steps.push(['applied', formatTime(remediation.appliedAt)]);
  if (remediation.probeAt !== undefined && remediation.state === 'active') steps.push(['probe due', formatTime(remediation.probeAt)]);
  if (remediation.undoneAt !== undefined) steps.push(['undone', formatTime(remediation.undoneAt)]);
  if (remediation.error !== undefined) steps.push(['error', remediation.error]);
  return (
    <ul className="trail">
      {steps.map(([label, value]) => (
        <li key={label}>
          <span className="muted">{label}</span> {value}
        </li>
      ))}
    </ul>
  );
}
