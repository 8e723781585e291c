import { useState } from 'react';
import { ApiError } from '../api.js';

/** The last action's outcome: nothing yet, running, or refused (403: the credential may not act). */
export type ActionState = { state: 'idle' } | { state: 'running'; what: string } | { state: 'failed'; what: string; message: string; status: number };

/**
 * Runs one change at a time against the admin API (approve, reject, roll back) and keeps its refusal to show.
 * `forbidden` turns true once the gateway answered 403: the page hides what the credential may not do.
 */
export function useAction(onDone: () => void) {
  const [action, setAction] = useState<ActionState>({ state: 'idle' });
  const [forbidden, setForbidden] = useState(false);
  const run = async (what: string, work: () => Promise<unknown>) => {
    setAction({ state: 'running', what });
    try {
      await work();
      setAction({ state: 'idle' });
      onDone();
    } catch (error) {
      const status = error instanceof ApiError ? error.status : 0;
      if (status === 403) setForbidden(true);
      setAction({ state: 'failed', what, message: (error as Error).message, status });
    }
  };
  return { action, forbidden, run, busy: action.state === 'running' };
}

/** The refusal of the last action, said plainly. */
export function ActionError({ action }: { action: ActionState }) {
  if (action.state !== 'failed') return null;
  return (
    <div className="notice error" role="alert" data-testid="action-error">
      <strong>{action.what} failed{action.status === 0 ? '' : ` (${action.status})`}.</strong>{' '}
      {action.status === 403 ? 'Your credential may not do this (only the master key may act on anomaly remediation and models): ' : ''}
      {action.message}
    </div>
  );
}
