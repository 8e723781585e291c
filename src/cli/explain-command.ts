import type { LoadedConfig } from '../config/index.js';
import { formatExplanation, type DeploymentChoice } from '../config/explain-request.js';
import { defaultModelName, llmLayers, resolveLlmSettings, routedModelName } from '../config/llm-hierarchy.js';
import type { ModelResolver } from '../gateway/model-resolver.js';
import type { PriceLookup } from '../gateway/price-lookup.js';
import type { ModelGroup } from '../gateway/routing/index.js';
import { SqlIdentityStore } from '../governance/identity/sql-identity-store.js';
import { hashVirtualKey } from '../governance/identity/virtual-key-material.js';
import type { VirtualKey } from '../governance/identity/identity-types.js';
import { openStore } from '../main.js';

/** What `config explain` has loaded: the configuration, the model resolver and prices. */
export interface ExplainContext {
  loaded: LoadedConfig;
  resolver: ModelResolver;
  groupTable: Map<string, ModelGroup>;
  prices: PriceLookup;
  providers: ReadonlyArray<{ name: string; definition: { kind: string } }>;
}

/**
 * `switchyard config explain [--key K] --model M`: the organisation -> workspace -> key hierarchy for the key
 * (read from the store), then the model group, deployments and prices the resolved model would use.
 */
export async function explainRequest(context: ExplainContext, options: { model: string; key?: string; json: boolean }): Promise<string> {
  const { loaded, resolver, groupTable, prices, providers } = context;
  let key: VirtualKey | undefined;
  let organisation: { id: string; llm: VirtualKey['llm'] } | undefined;
  let workspace: { name: string; llm: VirtualKey['llm'] } | undefined;
  if (options.key !== undefined) {
    const database = await openStore(loaded);
    try {
      const identity = new SqlIdentityStore(database.kysely);
      key = await findKey(identity, options.key);
      if (key === undefined) throw new Error(`no key matches "${options.key.slice(0, 12)}" (give its id, its prefix or the key itself)`);
      const storedOrganisation = await identity.getOrganisation(key.organisationId);
      const storedWorkspace = await identity.getWorkspace(key.workspaceId);
      if (storedOrganisation !== undefined) organisation = { id: storedOrganisation.id, llm: storedOrganisation.llm };
      if (storedWorkspace !== undefined) workspace = { name: storedWorkspace.name, llm: storedWorkspace.llm };
    } finally {
      await database.close();
    }
  }
  const resolution = resolveLlmSettings(
    llmLayers({
      config: { llm_config: loaded.config.llm_config, workspaces: loaded.config.workspaces },
      organisation,
      workspace,
      key: key === undefined ? undefined : { prefix: key.prefix, llm: key.llm, allowedModels: key.allowedModels },
      request: { model: options.model },
    }),
  );
  const model = routedModelName(resolution) ?? (options.model === defaultModelName ? undefined : options.model);
  let deployment: DeploymentChoice | undefined;
  const lines: string[] = [];
  if (model !== undefined) {
    const groupName = resolver.resolve(model);
    const group = groupTable.get(groupName)!;
    const first = group.deployments[0];
    if (first !== undefined) deployment = { provider: first.provider, model: first.model, id: first.id, group: group.name, strategy: group.strategy };
    lines.push(`model "${model}" -> group "${group.name}" (strategy ${group.strategy})`);
    for (const candidate of group.deployments) {
      const price = prices.priceOf(candidate.provider, candidate.model);
      const priceText = price ? `$${price.inputPerMillion}/M in, $${price.outputPerMillion}/M out` : 'price unknown (cost not recorded; set pricing: in config)';
      const kind = providers.find((provider) => provider.name === candidate.provider)?.definition.kind;
      lines.push(`  deployment ${candidate.id}: ${candidate.provider} (${kind}) model ${candidate.model}, weight ${candidate.weight}, ${priceText}`);
    }
    if (group.fallbacks.length > 0) lines.push(`  fallbacks: ${group.fallbacks.join(' -> ')}`);
    if (group.contextWindowFallbacks.length > 0) lines.push(`  context-window fallbacks: ${group.contextWindowFallbacks.join(' -> ')}`);
  }
  const explanation = formatExplanation(resolution, deployment);
  if (options.json) return `${JSON.stringify({ ...explanation.json, key: key === undefined ? null : { id: key.id, prefix: key.prefix, workspaceId: key.workspaceId } }, null, 2)}\n`;
  const header = key === undefined ? '' : `key ${key.prefix} (${key.id}) in workspace ${workspace?.name ?? key.workspaceId}, organisation ${key.organisationId}\n`;
  return `${header}${explanation.table}${explanation.table.endsWith('\n') ? '' : '\n'}${lines.length > 0 ? `${lines.join('\n')}\n` : ''}`;
}

async function findKey(identity: SqlIdentityStore, given: string): Promise<VirtualKey | undefined> {
  if (given.startsWith('key_')) return identity.getKey(given);
  const found = await identity.findKeyBySecretHash(hashVirtualKey(given), Date.now());
  if (found !== undefined) return found.key;
  // A visible prefix: search every organisation's keys (the CLI runs beside the store, as an operator).
  for (const organisation of await identity.listOrganisations()) {
    const match = (await identity.listKeys({ organisationId: organisation.id })).find((key) => key.prefix === given);
    if (match !== undefined) return match;
  }
  return undefined;
}
