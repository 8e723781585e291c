import { useState } from 'react';
import { anomaliesPath, seriesLabel, sortIncidents, subjectLabel, type AnomalyModelSummary, type Incident, type Remediation } from '../anomalies.js';
import { apiGet, apiPost, type ListAnswer } from '../api.js';
import { Show } from '../components/status.js';
import { ActionError, useAction } from '../components/use-action.js';
import { useLoad } from '../components/use-api.js';
import { formatTime } from '../format.js';
import { linkProps } from '../router.js';

/**
 * Anomaly incidents (open first) with their subject, series, severity and root-cause hint, each linking to its
 * evidence; then the detectors' model versions with roll back.
 */
export function AnomaliesPage() {
  const [state, setState] = useState('');
  const incidents = useLoad(() => apiGet<ListAnswer<Incident>>(anomaliesPath), []);
  const remediations = useLoad(() => apiGet<ListAnswer<Remediation>>(`${anomaliesPath}/remediations`), []);
  const waiting = new Set(remediations.state === 'done' ? remediations.value.data.filter((each) => each.state === 'pending-approval').map((each) => each.incidentId) : []);
  return (
    <section>
      <header className="page-header">
        <h2>Anomalies</h2>
        <label className="field">
          State{' '}
          <select aria-label="Incident state" value={state} onChange={(event) => setState(event.target.value)}>
            <option value="">any</option>
            <option value="open">open</option>
            <option value="cleared">cleared</option>
          </select>
        </label>
      </header>
      <Show loaded={incidents} what={`GET ${anomaliesPath}`}>
        {(list) => {
          const shown = sortIncidents(list.data).filter((incident) => state === '' || incident.state === state);
          if (shown.length === 0) return <p className="muted">{state === '' ? 'No incidents: the detectors see nothing out of the ordinary.' : `No ${state} incidents.`}</p>;
          return (
            <table data-testid="incidents">
              <thead>
                <tr>
                  <th>state</th>
                  <th>severity</th>
                  <th>subject</th>
                  <th>series</th>
                  <th>detected</th>
                  <th>root-cause hint</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((incident) => (
                  <tr key={incident.id} data-testid={`incident-${incident.id}`}>
                    <td>
                      <span className={`badge incident-${incident.state}`}>{incident.state}</span>
                      {waiting.has(incident.id) ? <span className="badge awaiting-approval">awaiting approval</span> : null}
                    </td>
                    <td>
                      <span className={`badge severity-${incident.severity}`}>{incident.severity}</span>
                    </td>
                    <td>
                      <a {...linkProps(`/anomalies/${encodeURIComponent(incident.id)}`)}>{subjectLabel(incident)}</a>
                    </td>
                    <td>{incident.evidence.map((evidence) => seriesLabel(evidence)).join(', ')}</td>
                    <td>{formatTime(incident.detectedAt)}</td>
                    <td>{incident.hint.summary}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          );
        }}
      </Show>
      <ModelVersions />
    </section>
  );
}

/** The detectors' model versions (one model covers every series family), with roll back to an earlier one. */
function ModelVersions() {
  const [version, setVersion] = useState(0);
  const models = useLoad(() => apiGet<ListAnswer<AnomalyModelSummary>>(`${anomaliesPath}/models`), [version]);
  const { action, forbidden, run, busy } = useAction(() => setVersion((current) => current + 1));
  const rollback = (versionId?: string) => run(versionId === undefined ? 'Roll back' : 'Activate', () => apiPost(`${anomaliesPath}/models/rollback`, versionId === undefined ? {} : { versionId }));
  return (
    <>
      <h3>Detector models</h3>
      <ActionError action={action} />
      <Show loaded={models} what={`GET ${anomaliesPath}/models`}>
        {(list) => {
          const active = list.data.find((each) => each.status === 'active');
          const earlier = list.data.filter((each) => each.status === 'inactive' && each.validation.accepted);
          return (
            <>
              <div className="toolbar" data-testid="active-model">
                {active === undefined ? (
                  <span className="muted">No model version is active: the detectors learn online from live traffic until one is trained.</span>
                ) : (
                  <span>
                    Active: <strong>version {active.version}</strong>, one model for every series family, {active.seriesCount} series with a trained baseline, trained on{' '}
                    {formatTime(active.trainedFrom)} to {formatTime(active.trainedUntil)}
                  </span>
                )}
                {active !== undefined && earlier.some((each) => each.version < active.version) && !forbidden ? (
                  <button type="button" disabled={busy} onClick={() => void rollback()}>
                    Roll back
                  </button>
                ) : null}
              </div>
              <table data-testid="anomaly-models">
                <thead>
                  <tr>
                    <th>version</th>
                    <th>status</th>
                    <th>trained on</th>
                    <th>series</th>
                    <th>held-out false alarms</th>
                    <th>activated</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {list.data.map((model) => (
                    <tr key={model.id}>
                      <td>{model.version}</td>
                      <td>
                        <span className={`badge model-${model.status}`}>{model.status}</span>
                      </td>
                      <td>
                        {formatTime(model.trainedFrom)} – {formatTime(model.trainedUntil)}
                      </td>
                      <td>{model.seriesCount}</td>
                      <td>
                        {model.validation.falseAlarms} of {Number(model.validation.allowedFalseAlarms.toFixed(2))} allowed
                        {model.validation.reason === undefined ? '' : ` (${model.validation.reason})`}
                      </td>
                      <td>{model.activatedAt === undefined ? '–' : formatTime(model.activatedAt)}</td>
                      <td>
                        {model.status === 'inactive' && model.validation.accepted && !forbidden ? (
                          <button type="button" className="link" disabled={busy} onClick={() => void rollback(model.id)}>
                            Activate
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          );
        }}
      </Show>
    </>
  );
}
