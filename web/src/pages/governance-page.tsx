import { useEffect, useState } from 'react';
import { apiGet, type ListAnswer } from '../api.js';
import type { AnalyticsOverview } from '../analytics.js';
import { Show } from '../components/status.js';
import { useLoad } from '../components/use-api.js';
import { formatMoney, formatPercent, formatTime } from '../format.js';

interface Organisation {
  id: string;
  name: string;
}
interface Workspace {
  id: string;
  name: string;
}
interface Team {
  id: string;
  name: string;
}
interface VirtualKey {
  id: string;
  name: string;
  prefix: string;
  teamId?: string;
  role: string;
  blocked: boolean;
  revokedAt?: number;
  expiresAt?: number;
  lastUsedAt?: number;
}
interface Budget {
  id: string;
  scope: string;
  scopeId: string;
  period: string;
  limitMicros: number;
  state: { spentMicros: number; reservedMicros: number; limitMicros: number; periodEnd: number };
}

const thirtyDays = 30 * 86_400_000;

function keyStatus(key: VirtualKey): string {
  if (key.revokedAt !== undefined) return 'revoked';
  if (key.blocked) return 'blocked';
  if (key.expiresAt !== undefined && key.expiresAt < Date.now()) return 'expired';
  return 'active';
}

/** A bar of spend against a limit: amber past 80 %, red at the limit. */
function SpendBar({ spent, limit }: { spent: number; limit: number }) {
  const fraction = limit <= 0 ? 1 : Math.min(1, spent / limit);
  const color = fraction >= 1 ? '#d64545' : fraction >= 0.8 ? '#e09b2d' : '#2f9e6e';
  return (
    <svg className="spend-bar" viewBox="0 0 120 10" role="img" aria-label={`${formatPercent(spent, limit)} of the limit`}>
      <rect width="120" height="10" rx="2" fill="#e8ebf0" />
      <rect width={120 * fraction} height="10" rx="2" fill={color} />
    </svg>
  );
}

function WorkspaceView({ organisationId, workspaceId }: { organisationId: string; workspaceId: string }) {
  const loaded = useLoad(async () => {
    const until = Date.now();
    const [keys, teams, budgets, spend] = await Promise.all([
      apiGet<ListAnswer<VirtualKey>>('/admin/v1/keys', { organisationId, workspaceId }),
      apiGet<ListAnswer<Team>>('/admin/v1/teams', { workspaceId }),
      apiGet<ListAnswer<Budget>>('/admin/v1/budgets'),
      apiGet<AnalyticsOverview>('/admin/v1/analytics/overview', { since: until - thirtyDays, until, groupBy: 'key', workspaceId }).catch(() => undefined),
    ]);
    return { keys: keys.data, teams: teams.data, budgets: budgets.data, spend };
  }, [organisationId, workspaceId]);
  return (
    <Show loaded={loaded} what="The governance admin API">
      {({ keys, teams, budgets, spend }) => {
        const spendOf = new Map((spend?.breakdown ?? []).map((row) => [row.value, row.costMicros]));
        const teamName = new Map(teams.map((team) => [team.id, team.name]));
        const keyIds = new Set(keys.map((key) => key.id));
        const teamIds = new Set(teams.map((team) => team.id));
        const relevant = budgets.filter((budget) => (budget.scope === 'workspace' && budget.scopeId === workspaceId) || (budget.scope === 'organisation' && budget.scopeId === organisationId) || keyIds.has(budget.scopeId) || teamIds.has(budget.scopeId));
        const nameOf = (budget: Budget) => (budget.scope === 'key' ? keys.find((key) => key.id === budget.scopeId)?.name : budget.scope === 'team' ? teamName.get(budget.scopeId) : undefined) ?? budget.scopeId;
        return (
          <>
            <h3>Budgets</h3>
            <table data-testid="budgets">
              <thead>
                <tr>
                  <th>scope</th>
                  <th>period</th>
                  <th>spent</th>
                  <th>reserved</th>
                  <th>limit</th>
                  <th />
                  <th>period ends</th>
                </tr>
              </thead>
              <tbody>
                {relevant.map((budget) => (
                  <tr key={budget.id}>
                    <td>
                      {budget.scope} {nameOf(budget)}
                    </td>
                    <td>{budget.period}</td>
                    <td>{formatMoney(budget.state.spentMicros)}</td>
                    <td>{formatMoney(budget.state.reservedMicros)}</td>
                    <td>{formatMoney(budget.limitMicros)}</td>
                    <td>
                      <SpendBar spent={budget.state.spentMicros} limit={budget.limitMicros} /> {formatPercent(budget.state.spentMicros, budget.limitMicros)}
                    </td>
                    <td>{formatTime(budget.state.periodEnd)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h3>Keys</h3>
            <table data-testid="keys">
              <thead>
                <tr>
                  <th>name</th>
                  <th>prefix</th>
                  <th>team</th>
                  <th>role</th>
                  <th>status</th>
                  <th>spend (30 days)</th>
                  <th>last used</th>
                </tr>
              </thead>
              <tbody>
                {keys.map((key) => (
                  <tr key={key.id}>
                    <td title={key.id}>{key.name}</td>
                    <td>
                      <code>{key.prefix}</code>
                    </td>
                    <td>{key.teamId === undefined ? '–' : (teamName.get(key.teamId) ?? key.teamId)}</td>
                    <td>{key.role}</td>
                    <td>{keyStatus(key)}</td>
                    <td>{spend === undefined ? '–' : formatMoney(spendOf.get(key.id) ?? 0)}</td>
                    <td>{key.lastUsedAt === undefined ? '–' : formatTime(key.lastUsedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h3>Teams</h3>
            <ul>
              {teams.map((team) => (
                <li key={team.id}>
                  {team.name} <span className="muted">{team.id}</span>
                </li>
              ))}
            </ul>
          </>
        );
      }}
    </Show>
  );
}

/** Keys, teams and budgets of one workspace, with each budget's current spend and each key's recent spend. */
export function GovernancePage() {
  const organisations = useLoad(() => apiGet<ListAnswer<Organisation>>('/admin/v1/organisations'), []);
  const [organisationId, setOrganisationId] = useState<string | undefined>();
  const [workspaceId, setWorkspaceId] = useState<string | undefined>();
  const firstOrganisation = organisations.state === 'done' ? organisations.value.data[0]?.id : undefined;
  const chosenOrganisation = organisationId ?? firstOrganisation;
  const workspaces = useLoad(async () => (chosenOrganisation === undefined ? [] : (await apiGet<ListAnswer<Workspace>>('/admin/v1/workspaces', { organisationId: chosenOrganisation })).data), [chosenOrganisation]);
  useEffect(() => setWorkspaceId(undefined), [chosenOrganisation]);
  const chosenWorkspace = workspaceId ?? (workspaces.state === 'done' ? workspaces.value[0]?.id : undefined);
  return (
    <section>
      <header className="page-header">
        <h2>Keys, teams and budgets</h2>
        <div className="toolbar">
          <Show loaded={organisations} what="GET /admin/v1/organisations">
            {(list) => (
              <label className="field">
                Organisation{' '}
                <select aria-label="Organisation" value={chosenOrganisation ?? ''} onChange={(event) => setOrganisationId(event.target.value)}>
                  {list.data.map((organisation) => (
                    <option key={organisation.id} value={organisation.id}>
                      {organisation.name}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </Show>
          <Show loaded={workspaces} what="GET /admin/v1/workspaces">
            {(list) => (
              <label className="field">
                Workspace{' '}
                <select aria-label="Workspace" value={chosenWorkspace ?? ''} onChange={(event) => setWorkspaceId(event.target.value)}>
                  {list.map((workspace) => (
                    <option key={workspace.id} value={workspace.id}>
                      {workspace.name}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </Show>
        </div>
      </header>
      {chosenOrganisation !== undefined && chosenWorkspace !== undefined ? <WorkspaceView organisationId={chosenOrganisation} workspaceId={chosenWorkspace} /> : <p className="muted">No workspace to show.</p>}
    </section>
  );
}
