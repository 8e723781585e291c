import type { LlmSettings } from '../../governance/identity/identity-types.js';
import type { BudgetDefinition } from '../../governance/budgets/budget-ledger.js';
import type { LimitDefinition } from '../../governance/limits/limit-definition.js';
import type { PolicyDefinition } from '../../governance/policy/policy-definition.js';

/** Whose request it is, in the governance hierarchy. */
export interface GovernedSubject {
  keyId: string;
  teamId?: string;
  workspaceId: string;
  organisationId: string;
  /** The key's own level of the hierarchy (absent for an agent token). */
  key?: { prefix: string; llm: LlmSettings; allowedModels: readonly string[] };
}

/** The model defaults that apply to a key after the organisation -> workspace -> key hierarchy. */
export interface EffectiveLlmSettings {
  model?: string;
  temperature?: number;
  maxTokens?: number;
  /** Every level's allow-list (globs); a model must match each. Empty: no restriction. */
  allowedModels: ReadonlyArray<{ patterns: readonly string[]; source: string }>;
}

/**
 * What the governor reads on every request, answered from memory: the definitions are loaded whole and
 * reloaded when the change bus says they changed (see `governance-snapshot.ts`).
 */
export interface GovernanceView {
  settingsFor(subject: GovernedSubject): EffectiveLlmSettings;
  policiesFor(subject: GovernedSubject): readonly PolicyDefinition[];
  limitsFor(subject: GovernedSubject): readonly LimitDefinition[];
  budgetsFor(subject: GovernedSubject): readonly BudgetDefinition[];
}
