import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../../db/schema.js';
import { GatewayError } from '../../spec/index.js';
import type { IdentityStore, VirtualKeyPatch } from './identity-store.js';
import {
  keyFromRow,
  keyPatchToColumns,
  keyToRow,
  organisationFromRow,
  organisationToRow,
  roleBindingFromRow,
  roleBindingToRow,
  serviceAccountFromRow,
  serviceAccountToRow,
  teamFromRow,
  teamToRow,
  userFromRow,
  userToRow,
  workspaceFromRow,
  workspaceToRow,
} from './identity-rows.js';
import type { KeySecret, LlmSettings, Organisation, RoleBinding, ServiceAccount, Team, User, VirtualKey, Workspace } from './identity-types.js';
import { writeWithConstraints } from './sql-constraint-error.js';

/**
 * The identity store in SQL: one Kysely codebase for SQLite and PostgreSQL. Built over a Kysely instance or
 * over a transaction; {@link SqlIdentityStore.transaction} opens one (or joins the one it is bound to).
 * Parents are checked before children are written (a key's workspace belongs to its organisation, its team to
 * its workspace), so no record points across organisations.
 */
export class SqlIdentityStore implements IdentityStore {
  constructor(private readonly kysely: Kysely<DatabaseSchema>) {}

  transaction<T>(work: (store: IdentityStore) => Promise<T>): Promise<T> {
    return this.bound(work);
  }

  async createOrganisation(organisation: Organisation): Promise<void> {
    await writeWithConstraints(() => this.kysely.insertInto('organisations').values(organisationToRow(organisation)).execute(), {
      conflict: `An organisation named "${organisation.name}" (or with id ${organisation.id}) already exists.`,
      missingReference: 'The organisation refers to a record that does not exist.',
    });
  }

  async getOrganisation(id: string): Promise<Organisation | undefined> {
    const row = await this.kysely.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
    return row && organisationFromRow(row);
  }

  async listOrganisations(): Promise<Organisation[]> {
    const rows = await this.kysely.selectFrom('organisations').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(organisationFromRow);
  }

  async updateOrganisationLlm(id: string, llm: LlmSettings): Promise<void> {
    const result = await this.kysely.updateTable('organisations').set({ llm: JSON.stringify(llm) }).where('id', '=', id).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw notFound('organisation', id);
  }

  async createWorkspace(workspace: Workspace): Promise<void> {
    await writeWithConstraints(() => this.kysely.insertInto('workspaces').values(workspaceToRow(workspace)).execute(), {
      conflict: `A workspace named "${workspace.name}" (or with id ${workspace.id}) already exists in this organisation.`,
      missingReference: `Organisation ${workspace.organisationId} not found.`,
    });
  }

  async getWorkspace(id: string): Promise<Workspace | undefined> {
    const row = await this.kysely.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
    return row && workspaceFromRow(row);
  }

  async findWorkspaceByName(organisationId: string, name: string): Promise<Workspace | undefined> {
    const row = await this.kysely
      .selectFrom('workspaces')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row && workspaceFromRow(row);
  }

  async listWorkspaces(organisationId: string): Promise<Workspace[]> {
    const rows = await this.kysely
      .selectFrom('workspaces')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(workspaceFromRow);
  }

  async updateWorkspaceLlm(id: string, llm: LlmSettings): Promise<void> {
    const result = await this.kysely.updateTable('workspaces').set({ llm: JSON.stringify(llm) }).where('id', '=', id).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw notFound('workspace', id);
  }

  /**
   * Refused with `conflict` while teams, service accounts or unrevoked keys remain in the workspace (deleting
   * them silently would cut off running clients). Role bindings scoped to it go with it.
   */
  async deleteWorkspace(id: string): Promise<void> {
    await this.bound(async (store) => {
      const database = store.kysely;
      const workspace = await store.getWorkspace(id);
      if (workspace === undefined) throw notFound('workspace', id);
      const dependants: string[] = [];
      if (await exists(database.selectFrom('teams').select('id').where('workspace_id', '=', id))) dependants.push('teams');
      if (await exists(database.selectFrom('service_accounts').select('id').where('workspace_id', '=', id))) dependants.push('service accounts');
      if (await exists(database.selectFrom('virtual_keys').select('id').where('workspace_id', '=', id).where('revoked_at', 'is', null))) {
        dependants.push('unrevoked keys');
      }
      if (dependants.length > 0) {
        throw new GatewayError('conflict', `Workspace "${workspace.name}" still has ${dependants.join(', ')}; remove or revoke them first.`);
      }
      await database.deleteFrom('role_bindings').where('workspace_id', '=', id).execute();
      await database.deleteFrom('workspaces').where('id', '=', id).execute();
    });
  }

  async createTeam(team: Team): Promise<void> {
    await this.requireWorkspace(team.organisationId, team.workspaceId);
    await writeWithConstraints(() => this.kysely.insertInto('teams').values(teamToRow(team)).execute(), {
      conflict: `A team named "${team.name}" (or with id ${team.id}) already exists in this workspace.`,
      missingReference: `Workspace ${team.workspaceId} not found in organisation ${team.organisationId}.`,
    });
  }

  async getTeam(id: string): Promise<Team | undefined> {
    const row = await this.kysely.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
    return row && teamFromRow(row);
  }

  async listTeams(workspaceId: string): Promise<Team[]> {
    const rows = await this.kysely.selectFrom('teams').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').orderBy('id').execute();
    return rows.map(teamFromRow);
  }

  /** Refused with `conflict` while unrevoked keys belong to the team. */
  async deleteTeam(id: string): Promise<void> {
    await this.bound(async (store) => {
      const database = store.kysely;
      const team = await store.getTeam(id);
      if (team === undefined) throw notFound('team', id);
      if (await exists(database.selectFrom('virtual_keys').select('id').where('team_id', '=', id).where('revoked_at', 'is', null))) {
        throw new GatewayError('conflict', `Team "${team.name}" still has unrevoked keys; move or revoke them first.`);
      }
      await database.deleteFrom('teams').where('id', '=', id).execute();
    });
  }

  async createUser(user: User): Promise<void> {
    await writeWithConstraints(() => this.kysely.insertInto('users').values(userToRow(user)).execute(), {
      conflict: `A user with email "${user.email}" (or with id ${user.id}) already exists in this organisation.`,
      missingReference: `Organisation ${user.organisationId} not found.`,
    });
  }

  async getUser(id: string): Promise<User | undefined> {
    const row = await this.kysely.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && userFromRow(row);
  }

  async listUsers(organisationId: string): Promise<User[]> {
    const rows = await this.kysely.selectFrom('users').selectAll().where('organisation_id', '=', organisationId).orderBy('created_at').orderBy('id').execute();
    return rows.map(userFromRow);
  }

  async createServiceAccount(account: ServiceAccount): Promise<void> {
    if (account.workspaceId !== undefined) await this.requireWorkspace(account.organisationId, account.workspaceId);
    await writeWithConstraints(() => this.kysely.insertInto('service_accounts').values(serviceAccountToRow(account)).execute(), {
      conflict: `A service account named "${account.name}" (or with id ${account.id}) already exists in this organisation.`,
      missingReference: `Organisation ${account.organisationId} not found.`,
    });
  }

  async getServiceAccount(id: string): Promise<ServiceAccount | undefined> {
    const row = await this.kysely.selectFrom('service_accounts').selectAll().where('id', '=', id).executeTakeFirst();
    return row && serviceAccountFromRow(row);
  }

  async listServiceAccounts(organisationId: string): Promise<ServiceAccount[]> {
    const rows = await this.kysely
      .selectFrom('service_accounts')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(serviceAccountFromRow);
  }

  async createRoleBinding(binding: RoleBinding): Promise<void> {
    if (binding.scope.kind === 'workspace') await this.requireWorkspace(binding.scope.organisationId, binding.scope.workspaceId);
    await writeWithConstraints(() => this.kysely.insertInto('role_bindings').values(roleBindingToRow(binding)).execute(), {
      conflict: `A role binding with id ${binding.id} already exists.`,
      missingReference: `Organisation ${binding.scope.organisationId} not found.`,
    });
  }

  async listRoleBindings(subject: RoleBinding['subject']): Promise<RoleBinding[]> {
    const rows = await this.kysely
      .selectFrom('role_bindings')
      .selectAll()
      .where('subject_kind', '=', subject.kind)
      .where('subject_id', '=', subject.id)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(roleBindingFromRow);
  }

  async listRoleBindingsInOrganisation(organisationId: string): Promise<RoleBinding[]> {
    const rows = await this.kysely
      .selectFrom('role_bindings')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(roleBindingFromRow);
  }

  async deleteRoleBinding(id: string): Promise<void> {
    const result = await this.kysely.deleteFrom('role_bindings').where('id', '=', id).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw notFound('role binding', id);
  }

  async createKey(key: VirtualKey, secret: KeySecret): Promise<void> {
    if (secret.keyId !== key.id) throw new GatewayError('invalid_request', `The secret belongs to ${secret.keyId}, not to key ${key.id}.`);
    await this.bound(async (bound) => {
      await bound.requireWorkspace(key.organisationId, key.workspaceId);
      if (key.teamId !== undefined) await bound.requireTeam(key.workspaceId, key.teamId);
      await writeWithConstraints(() => bound.kysely.insertInto('virtual_keys').values(keyToRow(key)).execute(), {
        conflict: `A key with id ${key.id} already exists.`,
        missingReference: `Organisation ${key.organisationId} not found.`,
      });
      await bound.insertSecret(secret);
    });
  }

  async getKey(id: string): Promise<VirtualKey | undefined> {
    const row = await this.kysely.selectFrom('virtual_keys').selectAll().where('id', '=', id).executeTakeFirst();
    return row && keyFromRow(row);
  }

  async listKeys(filter: { organisationId: string; workspaceId?: string; teamId?: string }): Promise<VirtualKey[]> {
    let statement = this.kysely.selectFrom('virtual_keys').selectAll().where('organisation_id', '=', filter.organisationId);
    if (filter.workspaceId !== undefined) statement = statement.where('workspace_id', '=', filter.workspaceId);
    if (filter.teamId !== undefined) statement = statement.where('team_id', '=', filter.teamId);
    const rows = await statement.orderBy('created_at').orderBy('id').execute();
    return rows.map(keyFromRow);
  }

  async updateKey(id: string, patch: VirtualKeyPatch): Promise<void> {
    await this.bound(async (bound) => {
      const key = await bound.getKey(id);
      if (key === undefined) throw notFound('key', id);
      if (patch.teamId !== undefined && patch.teamId !== null) await bound.requireTeam(key.workspaceId, patch.teamId);
      const columns = keyPatchToColumns(patch);
      if (Object.keys(columns).length === 0) return;
      await bound.kysely.updateTable('virtual_keys').set(columns).where('id', '=', id).execute();
    });
  }

  async rotateKeySecret(keyId: string, secret: KeySecret, previousExpiresAt: number): Promise<void> {
    if (secret.keyId !== keyId) throw new GatewayError('invalid_request', `The secret belongs to ${secret.keyId}, not to key ${keyId}.`);
    await this.bound(async (bound) => {
      if ((await bound.getKey(keyId)) === undefined) throw notFound('key', keyId);
      // Secrets already in an earlier grace period keep their earlier end; a rotation never extends one.
      await bound.kysely
        .updateTable('key_secrets')
        .set({ expires_at: previousExpiresAt })
        .where('key_id', '=', keyId)
        .where((where) => where.or([where('expires_at', 'is', null), where('expires_at', '>', previousExpiresAt)]))
        .execute();
      await bound.insertSecret(secret);
    });
  }

  async findKeyBySecretHash(hash: string, nowMs: number): Promise<{ key: VirtualKey; secret: KeySecret } | undefined> {
    const row = await this.kysely
      .selectFrom('key_secrets')
      .innerJoin('virtual_keys', 'virtual_keys.id', 'key_secrets.key_id')
      .selectAll('virtual_keys')
      .select(['key_secrets.hash as secret_hash', 'key_secrets.expires_at as secret_expires_at'])
      .where('key_secrets.hash', '=', hash)
      .where((where) => where.or([where('key_secrets.expires_at', 'is', null), where('key_secrets.expires_at', '>', nowMs)]))
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const { secret_hash: secretHash, secret_expires_at: secretExpiresAt, ...keyRow } = row;
    const secret: KeySecret = { keyId: keyRow.id, hash: secretHash };
    if (secretExpiresAt !== null) secret.expiresAt = Number(secretExpiresAt);
    return { key: keyFromRow(keyRow), secret };
  }

  async touchKey(id: string, usedAt: number): Promise<void> {
    // Batched writes may arrive out of order; the newest use wins.
    await this.kysely
      .updateTable('virtual_keys')
      .set({ last_used_at: usedAt })
      .where('id', '=', id)
      .where((where) => where.or([where('last_used_at', 'is', null), where('last_used_at', '<', usedAt)]))
      .execute();
  }

  /** Runs `work` on a store bound to a transaction; nested calls join the open one (the outermost decides). */
  private bound<T>(work: (store: SqlIdentityStore) => Promise<T>): Promise<T> {
    if (this.kysely.isTransaction) return work(this);
    return this.kysely.transaction().execute((transaction) => work(new SqlIdentityStore(transaction)));
  }

  private async insertSecret(secret: KeySecret): Promise<void> {
    // The message names no hash: even a hash of a key stays out of API output.
    await writeWithConstraints(
      () => this.kysely.insertInto('key_secrets').values({ hash: secret.hash, key_id: secret.keyId, expires_at: secret.expiresAt ?? null }).execute(),
      { conflict: 'This key secret is already in use; generate a new key.', missingReference: `Key ${secret.keyId} not found.` },
    );
  }

  private async requireWorkspace(organisationId: string, workspaceId: string): Promise<void> {
    const row = await this.kysely.selectFrom('workspaces').select('organisation_id').where('id', '=', workspaceId).executeTakeFirst();
    if (row === undefined || row.organisation_id !== organisationId) {
      throw new GatewayError('not_found', `Workspace ${workspaceId} not found in organisation ${organisationId}.`);
    }
  }

  private async requireTeam(workspaceId: string, teamId: string): Promise<void> {
    const row = await this.kysely.selectFrom('teams').select('workspace_id').where('id', '=', teamId).executeTakeFirst();
    if (row === undefined || row.workspace_id !== workspaceId) throw new GatewayError('not_found', `Team ${teamId} not found in workspace ${workspaceId}.`);
  }
}

function notFound(kind: string, id: string): GatewayError {
  return new GatewayError('not_found', `No ${kind} with id ${id}.`);
}

async function exists(query: { limit(count: number): { executeTakeFirst(): Promise<unknown> } }): Promise<boolean> {
  return (await query.limit(1).executeTakeFirst()) !== undefined;
}
