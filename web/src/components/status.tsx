import type { ReactNode } from 'react';
import type { Loaded } from './use-api.js';

/** Shows a load's state; renders `children(value)` once it is done. `what` names the endpoint for "not available". */
export function Show<T>({ loaded, what, children }: { loaded: Loaded<T>; what: string; children: (value: T) => ReactNode }) {
  switch (loaded.state) {
    case 'loading':
      return <p className="muted">Loading…</p>;
    case 'unavailable':
      return (
        <div className="notice unavailable" data-testid="unavailable">
          <strong>Not available on this gateway.</strong> {what} does not exist here yet.
        </div>
      );
    case 'failed':
      return (
        <div className="notice error" role="alert">
          {loaded.status === 403 ? 'Your credential may not read this: ' : ''}
          {loaded.message}
        </div>
      );
    case 'done':
      return <>{children(loaded.value)}</>;
  }
}
