import { deletedSchema, listOf } from '../../governance/admin/admin-schemas.js';
import * as organisations from '../../governance/admin/organisation-admin.js';
import * as roleBindings from '../../governance/admin/role-binding-admin.js';
import * as serviceAccounts from '../../governance/admin/service-account-admin.js';
import * as teams from '../../governance/admin/team-admin.js';
import * as users from '../../governance/admin/user-admin.js';
import * as workspaces from '../../governance/admin/workspace-admin.js';
import type { AdminRoute } from './admin-route.js';

const base = '/admin/v1';

/** Organisations, workspaces, teams, users, service accounts and role bindings. */
export const identityRoutes: AdminRoute[] = [
  { method: 'GET', path: `${base}/organisations`, operationId: 'listOrganisations', summary: 'List the organisations the caller may read', tag: 'organisations', level: 'organisation', response: listOf(organisations.organisationSchema), successStatus: 200, handle: (d, call) => organisations.listOrganisations(d, call) },
  { method: 'POST', path: `${base}/organisations`, operationId: 'createOrganisation', summary: 'Create an organisation (master key)', tag: 'organisations', level: 'organisation', body: organisations.createOrganisationSchema, response: organisations.organisationSchema, successStatus: 201, handle: (d, call, input) => organisations.createOrganisation(d, call, input.body) },
  { method: 'GET', path: `${base}/organisations/{organisationId}`, operationId: 'getOrganisation', summary: 'Get an organisation', tag: 'organisations', level: 'organisation', response: organisations.organisationSchema, successStatus: 200, handle: (d, call, input) => organisations.getOrganisation(d, call, input.params.organisationId) },
  { method: 'PATCH', path: `${base}/organisations/{organisationId}`, operationId: 'updateOrganisation', summary: "Set the organisation's model defaults", tag: 'organisations', level: 'organisation', body: organisations.updateOrganisationSchema, response: organisations.organisationSchema, successStatus: 200, handle: (d, call, input) => organisations.updateOrganisation(d, call, input.params.organisationId, input.body) },

  { method: 'GET', path: `${base}/workspaces`, operationId: 'listWorkspaces', summary: 'List workspaces', tag: 'workspaces', level: 'organisation', query: workspaces.listWorkspacesQuerySchema, response: listOf(workspaces.workspaceSchema), successStatus: 200, handle: (d, call, input) => workspaces.listWorkspaces(d, call, input.query) },
  { method: 'POST', path: `${base}/workspaces`, operationId: 'createWorkspace', summary: 'Create a workspace', tag: 'workspaces', level: 'organisation', body: workspaces.createWorkspaceSchema, response: workspaces.workspaceSchema, successStatus: 201, handle: (d, call, input) => workspaces.createWorkspace(d, call, input.body) },
  { method: 'GET', path: `${base}/workspaces/{workspaceId}`, operationId: 'getWorkspace', summary: 'Get a workspace', tag: 'workspaces', level: 'workspace', response: workspaces.workspaceSchema, successStatus: 200, handle: (d, call, input) => workspaces.getWorkspace(d, call, input.params.workspaceId) },
  { method: 'PATCH', path: `${base}/workspaces/{workspaceId}`, operationId: 'updateWorkspace', summary: "Set the workspace's model overrides", tag: 'workspaces', level: 'workspace', body: workspaces.updateWorkspaceSchema, response: workspaces.workspaceSchema, successStatus: 200, handle: (d, call, input) => workspaces.updateWorkspace(d, call, input.params.workspaceId, input.body) },
  { method: 'DELETE', path: `${base}/workspaces/{workspaceId}`, operationId: 'deleteWorkspace', summary: 'Delete a workspace without keys', tag: 'workspaces', level: 'workspace', response: deletedSchema, successStatus: 200, handle: (d, call, input) => workspaces.deleteWorkspace(d, call, input.params.workspaceId) },

  { method: 'GET', path: `${base}/teams`, operationId: 'listTeams', summary: 'List the teams of a workspace', tag: 'teams', level: 'workspace', query: teams.listTeamsQuerySchema, response: listOf(teams.teamSchema), successStatus: 200, handle: (d, call, input) => teams.listTeams(d, call, input.query) },
  { method: 'POST', path: `${base}/teams`, operationId: 'createTeam', summary: 'Create a team', tag: 'teams', level: 'workspace', body: teams.createTeamSchema, response: teams.teamSchema, successStatus: 201, handle: (d, call, input) => teams.createTeam(d, call, input.body) },
  { method: 'GET', path: `${base}/teams/{teamId}`, operationId: 'getTeam', summary: 'Get a team', tag: 'teams', level: 'workspace', response: teams.teamSchema, successStatus: 200, handle: (d, call, input) => teams.getTeam(d, call, input.params.teamId) },
  { method: 'DELETE', path: `${base}/teams/{teamId}`, operationId: 'deleteTeam', summary: 'Delete a team', tag: 'teams', level: 'workspace', response: deletedSchema, successStatus: 200, handle: (d, call, input) => teams.deleteTeam(d, call, input.params.teamId) },

  { method: 'GET', path: `${base}/users`, operationId: 'listUsers', summary: 'List the users of an organisation', tag: 'users', level: 'organisation', query: users.listUsersQuerySchema, response: listOf(users.userSchema), successStatus: 200, handle: (d, call, input) => users.listUsers(d, call, input.query) },
  { method: 'POST', path: `${base}/users`, operationId: 'createUser', summary: 'Create a user', tag: 'users', level: 'organisation', body: users.createUserSchema, response: users.userSchema, successStatus: 201, handle: (d, call, input) => users.createUser(d, call, input.body) },
  { method: 'GET', path: `${base}/users/{userId}`, operationId: 'getUser', summary: 'Get a user', tag: 'users', level: 'organisation', response: users.userSchema, successStatus: 200, handle: (d, call, input) => users.getUser(d, call, input.params.userId) },

  { method: 'GET', path: `${base}/service-accounts`, operationId: 'listServiceAccounts', summary: 'List service accounts', tag: 'service-accounts', level: 'organisation', query: serviceAccounts.listServiceAccountsQuerySchema, response: listOf(serviceAccounts.serviceAccountSchema), successStatus: 200, handle: (d, call, input) => serviceAccounts.listServiceAccounts(d, call, input.query) },
  { method: 'POST', path: `${base}/service-accounts`, operationId: 'createServiceAccount', summary: 'Create a service account', tag: 'service-accounts', level: 'organisation', body: serviceAccounts.createServiceAccountSchema, response: serviceAccounts.serviceAccountSchema, successStatus: 201, handle: (d, call, input) => serviceAccounts.createServiceAccount(d, call, input.body) },
  { method: 'GET', path: `${base}/service-accounts/{serviceAccountId}`, operationId: 'getServiceAccount', summary: 'Get a service account', tag: 'service-accounts', level: 'organisation', response: serviceAccounts.serviceAccountSchema, successStatus: 200, handle: (d, call, input) => serviceAccounts.getServiceAccount(d, call, input.params.serviceAccountId) },

  { method: 'GET', path: `${base}/role-bindings`, operationId: 'listRoleBindings', summary: 'List the role bindings of an organisation', tag: 'role-bindings', level: 'organisation', query: roleBindings.listRoleBindingsQuerySchema, response: listOf(roleBindings.roleBindingSchema), successStatus: 200, handle: (d, call, input) => roleBindings.listRoleBindings(d, call, input.query) },
  { method: 'POST', path: `${base}/role-bindings`, operationId: 'createRoleBinding', summary: 'Grant a role (never above the caller\'s own)', tag: 'role-bindings', level: 'organisation', body: roleBindings.createRoleBindingSchema, response: roleBindings.roleBindingSchema, successStatus: 201, handle: (d, call, input) => roleBindings.createRoleBinding(d, call, input.body) },
  { method: 'DELETE', path: `${base}/role-bindings/{roleBindingId}`, operationId: 'deleteRoleBinding', summary: 'Remove a role binding', tag: 'role-bindings', level: 'organisation', query: roleBindings.deleteRoleBindingQuerySchema, response: deletedSchema, successStatus: 200, handle: (d, call, input) => roleBindings.deleteRoleBinding(d, call, input.params.roleBindingId, input.query) },
];
