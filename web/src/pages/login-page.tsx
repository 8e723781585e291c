import { useState, type FormEvent } from 'react';
import { apiGet, ApiError, storeCredential } from '../api.js';

/**
 * Takes an admin key (the master key, a virtual key allowed on /admin/v1, or an agent token) and checks it
 * against the admin API before keeping it for this browser tab.
 */
export function LoginPage({ onLoggedIn }: { onLoggedIn: () => void }) {
  const [credential, setCredential] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [checking, setChecking] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setChecking(true);
    setProblem(undefined);
    try {
      await apiGet('/admin/v1/deployments', undefined, credential.trim());
      storeCredential(credential.trim());
      onLoggedIn();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setProblem('This key is not known, or it is revoked or expired.');
      else if (error instanceof ApiError && error.status === 403) setProblem(`This key may not use the dashboard: ${error.message}`);
      else setProblem((error as Error).message);
    } finally {
      setChecking(false);
    }
  };
  return (
    <main className="login">
      <form onSubmit={submit}>
        <h1>Switchyard</h1>
        <p className="muted">Sign in with the master key, or a virtual key or agent token that may use the admin API.</p>
        <label className="field stacked">
          Admin key
          <input name="credential" type="password" autoComplete="off" value={credential} onChange={(event) => setCredential(event.target.value)} required />
        </label>
        <button type="submit" disabled={checking || credential.trim() === ''}>
          {checking ? 'Checking…' : 'Sign in'}
        </button>
        {problem === undefined ? null : (
          <p className="notice error" role="alert">
            {problem}
          </p>
        )}
      </form>
    </main>
  );
}
