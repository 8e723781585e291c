import { z } from 'zod';
import type { Organisation } from '../identity/identity-types.js';
import { newId } from '../identity/virtual-key-material.js';
import type { AdminCall, AdminDependencies } from './admin-dependencies.js';
import { parseInput } from './admin-input.js';
import { requireOrganisation } from './admin-lookups.js';
import { runAdminChange, runAdminRead } from './admin-operation.js';
import { llmSettingsSchema, nameSchema, timestampSchema } from './admin-schemas.js';

export const organisationSchema = z.object({ id: z.string(), name: z.string(), llm: llmSettingsSchema, createdAt: timestampSchema });

export const createOrganisationSchema = z.strictObject({ name: nameSchema, llm: llmSettingsSchema.optional() });

export const updateOrganisationSchema = z.strictObject({ llm: llmSettingsSchema.describe('Replaces the organisation\'s model defaults.') });

/** The organisations the caller may read (all of them for the master key, its own for anyone else). */
export async function listOrganisations(dependencies: AdminDependencies, call: AdminCall): Promise<Organisation[]> {
  return runAdminRead(dependencies, call, 'organisations.list', async (operation) => {
    const organisations = await operation.stores.identity.listOrganisations();
    return organisations.filter((organisation) => operation.may('organisations:read', { organisationId: organisation.id }));
  });
}

export async function createOrganisation(dependencies: AdminDependencies, call: AdminCall, input: unknown): Promise<Organisation> {
  const body = parseInput(createOrganisationSchema, input);
  return runAdminChange(dependencies, call, 'organisations.create', async (operation) => {
    const organisation: Organisation = { id: newId('organisation'), name: body.name, llm: body.llm ?? {}, createdAt: operation.nowMs };
    const target = { kind: 'organisation', id: organisation.id };
    operation.authorise('organisations:write', { organisationId: organisation.id }, target);
    await operation.stores.identity.createOrganisation(organisation);
    await operation.record(target, { organisationId: organisation.id }, { name: organisation.name });
    operation.changed('llm', organisation.id);
    return organisation;
  });
}

export async function getOrganisation(dependencies: AdminDependencies, call: AdminCall, id: string): Promise<Organisation> {
  return runAdminRead(dependencies, call, 'organisations.get', async (operation) => {
    const organisation = await requireOrganisation(operation.stores.identity, id);
    operation.authorise('organisations:read', { organisationId: organisation.id }, { kind: 'organisation', id });
    return organisation;
  });
}

/** Replaces the organisation's model defaults (`switchyard org set-llm`). */
export async function updateOrganisation(dependencies: AdminDependencies, call: AdminCall, id: string, input: unknown): Promise<Organisation> {
  const body = parseInput(updateOrganisationSchema, input);
  return runAdminChange(dependencies, call, 'organisations.set-llm', async (operation) => {
    const organisation = await requireOrganisation(operation.stores.identity, id);
    const scope = { organisationId: organisation.id };
    const target = { kind: 'organisation', id };
    operation.authorise('organisations:write', scope, target);
    await operation.stores.identity.updateOrganisationLlm(id, body.llm);
    await operation.record(target, scope, { llm: body.llm });
    operation.changed('llm', id);
    return { ...organisation, llm: body.llm };
  });
}
