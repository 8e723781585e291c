/** What the admin API manages. Each resource has a read and a write action. */
export const adminResources = [
  'organisations',
  'workspaces',
  'teams',
  'users',
  'service-accounts',
  'role-bindings',
  'keys',
  'budgets',
  'limits',
  'policies',
  'secrets',
  'audit',
  // The observatory: the request log with its payloads and rollups, traces with scores, alert rules.
  'requests',
  'traces',
  'alerts',
] as const;

/** One resource of the admin API. */
export type AdminResource = (typeof adminResources)[number];

/**
 * An admin action: `<resource>:read` or `<resource>:write`, plus `keys:write-own`, which lets a developer
 * create and rotate keys they own (the route checks ownership; `keys:write` covers any key).
 */
export type AdminAction = `${AdminResource}:read` | `${AdminResource}:write` | 'keys:write-own';

/** Every admin action, reads and writes per resource, then `keys:write-own`. */
export const adminActions: readonly AdminAction[] = Object.freeze([
  ...adminResources.flatMap((resource) => [`${resource}:read`, `${resource}:write`] as const),
  'keys:write-own',
]);

const knownActions: ReadonlySet<string> = new Set(adminActions);

/** True for a known admin action (for input read from outside, e.g. a token's scopes). */
export function isAdminAction(value: string): value is AdminAction {
  return knownActions.has(value);
}

/** The resource an action is about (`keys:write-own` -> `keys`). */
export function resourceOf(action: AdminAction): AdminResource {
  return action.slice(0, action.indexOf(':')) as AdminResource;
}
