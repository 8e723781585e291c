import { useState } from 'react';
import { forgetCredential, storedCredential } from './api.js';
import { AlertsPage } from './pages/alerts-page.js';
import { AnomaliesPage } from './pages/anomalies-page.js';
import { AnomalyDetailPage } from './pages/anomaly-detail-page.js';
import { GovernancePage } from './pages/governance-page.js';
import { LoginPage } from './pages/login-page.js';
import { OverviewPage } from './pages/overview-page.js';
import { ProvidersPage } from './pages/providers-page.js';
import { RequestDetailPage } from './pages/request-detail-page.js';
import { RequestsPage } from './pages/requests-page.js';
import { TracePage } from './pages/trace-page.js';
import { linkProps, navigate, useLocation, type Location } from './router.js';

const sections = [
  { path: '/', label: 'Overview' },
  { path: '/requests', label: 'Requests' },
  { path: '/governance', label: 'Keys & budgets' },
  { path: '/providers', label: 'Providers' },
  { path: '/alerts', label: 'Alerts' },
  { path: '/anomalies', label: 'Anomalies' },
];

function Page({ location }: { location: Location }) {
  const segments = location.path.split('/').filter((segment) => segment !== '').map(decodeURIComponent);
  switch (segments[0]) {
    case undefined:
      return <OverviewPage />;
    case 'requests':
      return segments[1] === undefined ? <RequestsPage location={location} /> : <RequestDetailPage requestId={segments[1]} />;
    case 'traces':
      return segments[1] === undefined ? <p>Open a trace from a request.</p> : <TracePage traceId={segments[1]} />;
    case 'governance':
      return <GovernancePage />;
    case 'providers':
      return <ProvidersPage />;
    case 'alerts':
      return <AlertsPage />;
    case 'anomalies':
      return segments[1] === undefined ? <AnomaliesPage /> : <AnomalyDetailPage incidentId={segments[1]} />;
    default:
      return <p className="notice">No page here.</p>;
  }
}

/** The dashboard: the login page until a credential is kept for this tab, then the pages behind a menu. */
export function App() {
  const location = useLocation();
  const [credential, setCredential] = useState(storedCredential);
  if (credential === undefined) return <LoginPage onLoggedIn={() => setCredential(storedCredential())} />;
  const logout = () => {
    forgetCredential();
    setCredential(undefined);
    navigate('/');
  };
  const active = '/' + (location.path.split('/')[1] ?? '');
  return (
    <div className="shell">
      <nav>
        <h1>Switchyard</h1>
        {sections.map((section) => (
          <a key={section.path} {...linkProps(section.path)} className={active === section.path || (section.path === '/requests' && active === '/traces') ? 'active' : undefined}>
            {section.label}
          </a>
        ))}
        <button type="button" className="logout" onClick={logout}>
          Log out
        </button>
      </nav>
      <main>
        <Page location={location} />
      </main>
    </div>
  );
}
