import { useEffect, useState } from 'react';

/** The dashboard's own paths live under /ui (the gateway answers index.html for any of them). */
export const basePath = '/ui';

/** The path inside the dashboard (`/`, `/requests/req_1`), and its query. */
export interface Location {
  path: string;
  query: URLSearchParams;
}

function current(): Location {
  const path = window.location.pathname.startsWith(basePath) ? window.location.pathname.slice(basePath.length) : window.location.pathname;
  return { path: path === '' ? '/' : path, query: new URLSearchParams(window.location.search) };
}

/** Moves to a dashboard path (with an optional query) without a reload. */
export function navigate(to: string): void {
  window.history.pushState(null, '', `${basePath}${to}`);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/** The current location, updated on navigation and on the browser's back and forward. */
export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = () => setLocation(current());
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return location;
}

/** A link inside the dashboard. */
export function linkProps(to: string) {
  return {
    href: `${basePath}${to}`,
    onClick: (event: { preventDefault(): void; metaKey: boolean; ctrlKey: boolean }) => {
      if (event.metaKey || event.ctrlKey) return;
      event.preventDefault();
      navigate(to);
    },
  };
}
