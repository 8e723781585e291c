import { useEffect, useState } from 'react';
import { ApiError } from '../api.js';

/** A load in progress, done, failed, or refused because the endpoint does not exist on this gateway. */
export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'done'; value: T }
  | { state: 'unavailable'; message: string }
  | { state: 'failed'; message: string; status: number };

/** Runs `load` whenever a dependency changes; an older answer never replaces a newer one. */
export function useLoad<T>(load: () => Promise<T>, dependencies: unknown[]): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    setLoaded({ state: 'loading' });
    load().then(
      (value) => current && setLoaded({ state: 'done', value }),
      (error: unknown) => {
        if (!current) return;
        if (error instanceof ApiError && error.unavailable) setLoaded({ state: 'unavailable', message: error.message });
        else setLoaded({ state: 'failed', message: (error as Error).message, status: error instanceof ApiError ? error.status : 0 });
      },
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, dependencies);
  return loaded;
}
