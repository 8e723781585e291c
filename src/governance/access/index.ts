export { adminActions, adminResources, isAdminAction, resourceOf, type AdminAction, type AdminResource } from './actions.js';
export { authorise, authoriseRoleGrant, canGrantRole, effectiveRole, type AccessTarget } from './authorise.js';
export { isRoleAtLeast, roleAllows, roleMatrix, rolesStrongestFirst, strongerRole, weakerRole, weakestRoleAllowing } from './role-matrix.js';
