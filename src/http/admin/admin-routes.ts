import type { AdminRoute } from './admin-route.js';
import { governanceRoutes } from './governance-routes.js';
import { identityRoutes } from './identity-routes.js';
import { keyRoutes } from './key-routes.js';
import { limitRoutes } from './limit-routes.js';
import { requestRoutes } from './request-routes.js';
import { alertRoutes } from './alert-routes.js';

/** Every operation of the admin API: what is registered and what the OpenAPI document lists. */
export const adminRoutes: ReadonlyArray<AdminRoute> = [...identityRoutes, ...keyRoutes, ...governanceRoutes, ...limitRoutes, ...requestRoutes, ...alertRoutes];
