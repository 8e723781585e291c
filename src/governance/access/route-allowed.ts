import { GatewayError } from '../../spec/index.js';
import type { Principal } from '../principal.js';

/**
 * Whether a path is covered by one of a key's allowed route prefixes (`/v1` covers `/v1/chat/completions`,
 * not `/v1beta`). An empty list means the gateway API only: anything outside `/admin`.
 */
export function isRouteAllowed(allowedRoutes: readonly string[], path: string): boolean {
  if (allowedRoutes.length === 0) return !(path === '/admin' || path.startsWith('/admin/'));
  return allowedRoutes.some((prefix) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`));
}

/** Refuses a virtual key whose allowed routes do not cover the path (agent tokens are held to their scopes). */
export function authoriseRoute(principal: Principal, path: string): void {
  if (principal.kind !== 'key' || isRouteAllowed(principal.allowedRoutes, path)) return;
  throw new GatewayError('permission_denied', `This key may not call ${path}: its allowed routes do not include it.`);
}
