import { z } from 'zod';
import { checkStoredProviderSettings, presentableStoredSettings, referencedSecretNames } from '../../config/stored-provider-settings.js';
import type { StoredProvider, StoredProviderStore } from '../../config/stored-provider-store.js';
import type { LiveProviderSet } from '../../gateway/live-provider-set.js';
import type { ProviderInstance } from '../../gateway/provider-set.js';
import { GatewayError } from '../../spec/index.js';
import type { AdminCall, AdminDependencies } from './admin-dependencies.js';
import { parseInput } from './admin-input.js';
import { requireOrganisation } from './admin-lookups.js';
import { runAdminChange, runAdminRead, type AdminOperation, type AdminScope } from './admin-operation.js';
import type { GovernanceStores, UnitOfWork } from './governance-stores.js';
import { identifierSchema, timestampSchema } from './admin-schemas.js';

/**
 * Providers enabled at run time: list, enable, remove, and the authorisation of a model pull. The gateway
 * shares its providers with every organisation, so these are organisation administrators' (and the master
 * key's) business: authorised as `secrets:read` / `secrets:write` at the caller's organisation, because
 * enabling a provider is handing the gateway credentials, the same trust as writing secrets.
 */

/** The governance stores plus the stored providers, bound to one transaction. */
export interface ProviderStores extends GovernanceStores {
  storedProviders: StoredProviderStore;
}

/** {@link UnitOfWork} whose stores include the stored providers (the composition root builds it the same way). */
export type ProviderUnitOfWork = <T>(work: (stores: ProviderStores) => Promise<T>) => Promise<T>;

/** What the provider use cases need besides the admin dependencies. */
export interface ProviderAdminDependencies extends AdminDependencies {
  providerUnitOfWork: ProviderUnitOfWork;
  liveProviders: LiveProviderSet;
  /**
   * Called after a stored provider was enabled or removed here (the lead connects it to the change bus, so
   * other replicas run `LiveProviderSet.synchronise`). A failure is passed to `reportError`.
   */
  onProvidersChanged?: (name: string) => void | Promise<void>;
}

const settingsSchema = z
  .record(z.string(), z.unknown())
  .describe('The kind\'s settings as in switchyard.yaml (host, baseUrl, ...); credentials only as {"secret": "<name>", "field": "<field>"}.');

export const enableProviderSchema = z.strictObject({
  kind: z.string().trim().min(1).max(100).describe('The provider kind (ollama, openai, anthropic, gemini, azure-openai, openai-compatible).'),
  name: z.string().trim().min(1).max(63).optional().describe('The instance name (models are <name>/<model>); defaults to the kind.'),
  organisationId: identifierSchema.optional().describe("Whose secrets the references read; defaults to the caller's organisation."),
  settings: settingsSchema.default({}),
});

export const pullModelSchema = z.strictObject({
  model: z.string().trim().min(1).max(300).regex(/^\S+$/, 'a model name has no spaces (e.g. llama3:8b)').describe('The model to download, e.g. llama3:8b.'),
});

/** What the API shows of a provider: never a credential (stored settings show secret references only). */
export const providerViewSchema = z.object({
  name: z.string(),
  kind: z.string(),
  origin: z.enum(['config', 'environment', 'stored']),
  selfHosted: z.boolean(),
  /** True when `POST /admin/v1/providers/{name}/pull` works for it. */
  canPullModels: z.boolean(),
  organisationId: z.string().optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  createdAt: timestampSchema.optional(),
  updatedAt: timestampSchema.optional(),
});

export type ProviderView = z.infer<typeof providerViewSchema>;

function viewOf(instance: ProviderInstance, stored: StoredProvider | undefined): ProviderView {
  return {
    name: instance.name,
    kind: instance.definition.kind,
    origin: instance.origin,
    selfHosted: instance.selfHosted,
    canPullModels: instance.definition.pullModel !== undefined,
    ...(stored === undefined
      ? {}
      : {
          ...(stored.organisationId === undefined ? {} : { organisationId: stored.organisationId }),
          settings: presentableStoredSettings(stored.settings),
          createdAt: stored.createdAt,
          updatedAt: stored.updatedAt,
        }),
  };
}

/** The organisation a call acts for: the one named, else the caller's (none for the master key). */
function callerScope(call: AdminCall, organisationId: string | undefined): AdminScope | undefined {
  const organisation = organisationId ?? (call.principal.kind === 'master' ? undefined : call.principal.organisationId);
  return organisation === undefined ? undefined : { organisationId: organisation };
}

/** Authorises in `scope`; without one only the master key gets here (it may do everything). */
function authoriseIn(operation: AdminOperation, action: 'secrets:read' | 'secrets:write', scope: AdminScope | undefined, target: { kind: string; id: string }): void {
  if (scope !== undefined) operation.authorise(action, scope, target);
  else if (operation.principal.kind !== 'master') operation.deny('Only the master key may manage providers that belong to no organisation', { organisationId: operation.principal.organisationId }, target);
}

/**
 * The admin dependencies with a unit of work that also binds the stored providers, and a way to reach that
 * store from inside the work (the admin operation knows only the governance stores).
 */
function withStoredProviders(dependencies: ProviderAdminDependencies): { dependencies: AdminDependencies; storedProviders: () => StoredProviderStore } {
  let bound: StoredProviderStore | undefined;
  const unitOfWork: UnitOfWork = (inner) =>
    dependencies.providerUnitOfWork((stores) => {
      bound = stores.storedProviders;
      return inner(stores);
    });
  return {
    dependencies: { ...dependencies, unitOfWork },
    storedProviders: () => {
      if (bound === undefined) throw new GatewayError('internal_error', 'The stored providers are read outside their unit of work');
      return bound;
    },
  };
}

async function announce(dependencies: ProviderAdminDependencies, name: string): Promise<void> {
  try {
    await dependencies.onProvidersChanged?.(name);
  } catch (error) {
    dependencies.reportError?.(error);
  }
}

/** Every provider: configured in the file, discovered in the environment, and stored. */
export function listProviders(dependencies: ProviderAdminDependencies, call: AdminCall): Promise<ProviderView[]> {
  const scoped = withStoredProviders(dependencies);
  return runAdminRead(scoped.dependencies, call, 'providers.list', async (operation) => {
    authoriseIn(operation, 'secrets:read', callerScope(call, undefined), { kind: 'provider', id: '*' });
    const stored = new Map((await scoped.storedProviders().list()).map((provider) => [provider.name, provider]));
    return dependencies.liveProviders.instances().map((instance) => viewOf(instance, instance.origin === 'stored' ? stored.get(instance.name) : undefined));
  });
}

/**
 * Enables a provider (or replaces the stored one of that name): checks the settings (credentials only as
 * secret references), builds the instance with the kind's schema, stores it with its audit record in one
 * transaction, then puts it in service. A name configured in switchyard.yaml is a conflict (the file wins).
 */
export async function enableProvider(dependencies: ProviderAdminDependencies, call: AdminCall, input: unknown): Promise<ProviderView> {
  const body = parseInput(enableProviderSchema, input);
  const name = body.name ?? body.kind;
  const target = { kind: 'provider', id: name };
  const scoped = withStoredProviders(dependencies);
  const { stored, instance } = await runAdminChange(scoped.dependencies, call, 'providers.enable', async (operation) => {
    const scope = callerScope(call, body.organisationId);
    authoriseIn(operation, 'secrets:write', scope, target);
    if (scope !== undefined) await requireOrganisation(operation.stores.identity, scope.organisationId);
    const store = scoped.storedProviders();
    const existing = await store.get(name);
    // Replacing another organisation's provider needs the rights there too.
    if (existing !== undefined && existing.organisationId !== scope?.organisationId) {
      authoriseIn(operation, 'secrets:write', existing.organisationId === undefined ? undefined : { organisationId: existing.organisationId }, target);
    }
    checkStoredProviderSettings(body.settings);
    const provider = { name, kind: body.kind, ...(scope === undefined ? {} : { organisationId: scope.organisationId }), settings: body.settings };
    const organisationId = scope?.organisationId;
    const built = await dependencies.liveProviders.build(provider, organisationId === undefined ? undefined : (secret) => operation.stores.secrets.reveal(organisationId, secret));
    const saved = await store.put(provider, operation.nowMs);
    // Secret names only: their values never reach the audit log.
    await operation.record(target, scope, { kind: body.kind, replaced: existing !== undefined, secrets: referencedSecretNames(body.settings) });
    return { stored: saved, instance: built };
  });
  dependencies.liveProviders.install(instance, stored.updatedAt);
  await announce(dependencies, name);
  return viewOf(instance, stored);
}

/** Removes a stored provider (providers of switchyard.yaml or the environment are removed there: conflict). */
export async function deleteProvider(dependencies: ProviderAdminDependencies, call: AdminCall, name: string): Promise<{ id: string; deleted: true }> {
  const target = { kind: 'provider', id: name };
  const scoped = withStoredProviders(dependencies);
  await runAdminChange(scoped.dependencies, call, 'providers.delete', async (operation) => {
    if (dependencies.liveProviders.isConfigured(name)) {
      authoriseIn(operation, 'secrets:write', callerScope(call, undefined), target);
      throw new GatewayError('conflict', `The provider ${name} is configured in switchyard.yaml or the environment; only stored providers can be removed here`, { param: 'name' });
    }
    const store = scoped.storedProviders();
    const existing = await store.get(name);
    if (existing === undefined) {
      authoriseIn(operation, 'secrets:write', callerScope(call, undefined), target);
      throw new GatewayError('not_found', `No stored provider named ${name}`, { param: 'name' });
    }
    const scope = existing.organisationId === undefined ? undefined : { organisationId: existing.organisationId };
    authoriseIn(operation, 'secrets:write', scope, target);
    await store.delete(name);
    await operation.record(target, scope, { kind: existing.kind });
  });
  dependencies.liveProviders.remove(name);
  await announce(dependencies, name);
  return { id: name, deleted: true };
}

/**
 * Authorises and audits a model pull onto a provider's server, and returns the instance to pull through:
 * 404 for an unknown provider, 400 when its kind cannot install models. The pull itself streams afterwards.
 */
export async function authoriseModelPull(dependencies: ProviderAdminDependencies, call: AdminCall, name: string, input: unknown): Promise<{ instance: ProviderInstance; model: string }> {
  const body = parseInput(pullModelSchema, input);
  const target = { kind: 'provider', id: name };
  const scoped = withStoredProviders(dependencies);
  return runAdminChange(scoped.dependencies, call, 'providers.pull', async (operation) => {
    const stored = await scoped.storedProviders().get(name);
    // A stored provider belongs to its organisation; a configured one to every organisation's administrators.
    const scope = stored !== undefined ? (stored.organisationId === undefined ? undefined : { organisationId: stored.organisationId }) : callerScope(call, undefined);
    authoriseIn(operation, 'secrets:write', scope, target);
    const instance = dependencies.liveProviders.get(name);
    if (instance === undefined) throw new GatewayError('not_found', `No provider named ${name}`, { param: 'name' });
    if (instance.definition.pullModel === undefined) {
      throw new GatewayError('invalid_request', `The provider ${name} (kind ${instance.definition.kind}) cannot install models; only kinds that serve downloadable models (such as ollama) can`, { param: 'name' });
    }
    await operation.record(target, scope, { model: body.model });
    return { instance, model: body.model };
  });
}
