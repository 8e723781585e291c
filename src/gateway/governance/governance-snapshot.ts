import type { Logger } from '../../spec/index.js';
import { llmLayers, resolveLlmSettings, routedModelName, type LlmHierarchyInput } from '../../config/llm-hierarchy.js';
import { applicableBudgets } from '../../governance/budgets/budget-definition.js';
import type { BudgetDefinition } from '../../governance/budgets/budget-ledger.js';
import type { BudgetStore } from '../../governance/budgets/budget-store.js';
import type { IdentityStore } from '../../governance/identity/identity-store.js';
import type { Organisation, Workspace } from '../../governance/identity/identity-types.js';
import type { LimitDefinition } from '../../governance/limits/limit-definition.js';
import type { LimitStore } from '../../governance/limits/limit-store.js';
import type { PolicyDefinition } from '../../governance/policy/policy-definition.js';
import type { PolicyStore, StoredPolicy } from '../../governance/policy/policy-store.js';
import type { EffectiveLlmSettings, GovernanceView, GovernedSubject } from './governance-view.js';

/** Where the snapshot reads from. */
export interface GovernanceSnapshotSources {
  identity: Pick<IdentityStore, 'listOrganisations' | 'listWorkspaces'>;
  limits: Pick<LimitStore, 'list'>;
  budgets: Pick<BudgetStore, 'list'>;
  policies: Pick<PolicyStore, 'listPolicies'>;
  /** The config file's `llm_config` and `workspaces`. */
  config: LlmHierarchyInput['config'];
  logger: Logger;
}

interface Loaded {
  organisations: Map<string, Organisation>;
  workspaces: Map<string, Workspace>;
  limits: LimitDefinition[];
  budgets: BudgetDefinition[];
  policies: StoredPolicy[];
}

interface SubjectAnswers {
  settings?: EffectiveLlmSettings;
  policies?: readonly PolicyDefinition[];
  limits?: readonly LimitDefinition[];
  budgets?: readonly BudgetDefinition[];
}

const empty: Loaded = { organisations: new Map(), workspaces: new Map(), limits: [], budgets: [], policies: [] };

/**
 * The governance definitions (organisations' and workspaces' model settings, limits, budgets, policies)
 * held whole in memory, so the governor reads them without touching a store on the request path. They are
 * small (one row per definition, not per request). `reload` reads everything again; it runs at start and
 * whenever the change bus says something changed, here or on another replica. Answers per key are memoised
 * until the next reload.
 */
export class GovernanceSnapshot implements GovernanceView {
  private loaded: Loaded = empty;
  private answers = new Map<string, SubjectAnswers>();
  private reloading: Promise<void> | undefined;
  private reloadAgain = false;
  private readonly pendingParts = new Set<Part>();

  constructor(private readonly sources: GovernanceSnapshotSources) {}

  /**
   * Reads definitions again: the parts a change topic touched (`limits`, `budgets`, `policies`, `llm` for the
   * organisations' and workspaces' settings, `keys` for none: a key's own settings come with its principal),
   * everything for `*` (a resync after a lost connection), nothing for other domains' topics (alert rules, stored
   * providers). Concurrent calls share one read, plus one more for what was asked
   * meanwhile; the promise resolves once what the caller asked for is loaded.
   */
  reload(topic = '*'): Promise<void> {
    const parts = partsOf(topic);
    if (parts === undefined) return this.reloading ?? Promise.resolve();
    for (const part of parts) this.pendingParts.add(part);
    if (this.reloading !== undefined) {
      this.reloadAgain = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      try {
        do {
          this.reloadAgain = false;
          const parts = new Set(this.pendingParts);
          this.pendingParts.clear();
          this.loaded = await this.read(parts);
          this.answers = new Map();
        } while (this.reloadAgain);
      } finally {
        this.reloading = undefined;
      }
    })();
    return this.reloading;
  }

  settingsFor(subject: GovernedSubject): EffectiveLlmSettings {
    const answers = this.answersFor(subject.keyId);
    if (answers.settings === undefined) {
      const organisation = this.loaded.organisations.get(subject.organisationId);
      const workspace = this.loaded.workspaces.get(subject.workspaceId);
      const key = subject.key;
      const resolution = resolveLlmSettings(
        llmLayers({
          config: this.sources.config,
          organisation: organisation === undefined ? undefined : { id: organisation.id, llm: organisation.llm },
          workspace: workspace === undefined ? undefined : { name: workspace.name, llm: workspace.llm },
          key: key === undefined ? undefined : { prefix: key.prefix, llm: key.llm, allowedModels: key.allowedModels },
        }),
      );
      answers.settings = {
        model: routedModelName(resolution),
        temperature: resolution.temperature?.value,
        maxTokens: resolution.maxTokens?.value,
        allowedModels: resolution.allowedModels,
      };
    }
    return answers.settings;
  }

  policiesFor(subject: GovernedSubject): readonly PolicyDefinition[] {
    const answers = this.answersFor(subject.keyId);
    answers.policies ??= this.loaded.policies.filter(
      (policy) =>
        (policy.scope === 'organisation' && policy.scopeId === subject.organisationId) ||
        (policy.scope === 'workspace' && policy.scopeId === subject.workspaceId) ||
        (policy.scope === 'key' && policy.scopeId === subject.keyId),
    );
    return answers.policies;
  }

  limitsFor(subject: GovernedSubject): readonly LimitDefinition[] {
    const answers = this.answersFor(subject.keyId);
    answers.limits ??= this.loaded.limits.filter(
      (limit) =>
        (limit.scope === 'key' && limit.scopeId === subject.keyId) ||
        (limit.scope === 'team' && subject.teamId !== undefined && limit.scopeId === subject.teamId) ||
        (limit.scope === 'workspace' && limit.scopeId === subject.workspaceId) ||
        (limit.scope === 'organisation' && limit.scopeId === subject.organisationId),
    );
    return answers.limits;
  }

  budgetsFor(subject: GovernedSubject): readonly BudgetDefinition[] {
    const answers = this.answersFor(subject.keyId);
    answers.budgets ??= applicableBudgets(this.loaded.budgets, subject);
    return answers.budgets;
  }

  private answersFor(keyId: string): SubjectAnswers {
    let answers = this.answers.get(keyId);
    if (answers === undefined) {
      answers = {};
      this.answers.set(keyId, answers);
    }
    return answers;
  }

  private async read(parts: ReadonlySet<Part>): Promise<Loaded> {
    const { identity, limits, budgets, policies } = this.sources;
    const previous = this.loaded;
    let { organisations, workspaces } = previous;
    if (parts.has('llm')) {
      const organisationList = await identity.listOrganisations();
      const workspaceList = (await Promise.all(organisationList.map((organisation) => identity.listWorkspaces(organisation.id)))).flat();
      organisations = new Map(organisationList.map((organisation) => [organisation.id, organisation]));
      workspaces = new Map(workspaceList.map((workspace) => [workspace.id, workspace]));
    }
    const storedPolicies = parts.has('policies')
      ? (await Promise.all([...organisations.keys()].map((organisationId) => policies.listPolicies({ organisationId })))).flat()
      : previous.policies;
    return {
      organisations,
      workspaces,
      limits: parts.has('limits') ? await limits.list() : previous.limits,
      budgets: parts.has('budgets') ? await budgets.list() : previous.budgets,
      policies: storedPolicies,
    };
  }

}

/** What one reload reads. */
type Part = 'llm' | 'limits' | 'budgets' | 'policies';

const allParts: readonly Part[] = ['llm', 'limits', 'budgets', 'policies'];

/** The parts a topic touches; undefined for another domain's topic (nothing to read, no answer to drop). */
function partsOf(topic: string): readonly Part[] | undefined {
  switch (topic) {
    case 'keys':
      return [];
    case 'limits':
    case 'budgets':
    case 'policies':
      return [topic];
    case 'llm':
      // A new organisation brings its policies' list with it.
      return ['llm', 'policies'];
    case '*':
      // A resync after a lost connection: changes may have been missed, read everything.
      return allParts;
    default:
      // Other domains' topics on the same bus (alert rules, stored providers) change nothing here.
      return undefined;
  }
}
