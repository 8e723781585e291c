import type { LlmSettingsConfig } from './config-schema.js';
import { modelMatchesAny } from './llm-hierarchy-model-patterns.js';

/**
 * The organisation -> workspace -> key hierarchy of model settings. Pure functions: the caller loads the
 * levels (config file, identity store, the request) and gets back each setting with the level it came from,
 * which is what `switchyard config explain` prints.
 */

/** Model settings at one level; the same shape as the identity store's `LlmSettings`. */
export type LlmLevelSettings = LlmSettingsConfig;

/** One level of the hierarchy and how it is named in an explanation. */
export interface LlmLayer {
  /** `config:llm_config`, `organisation org_1`, `config:workspaces.production`, `workspace production`, `key sk-sy-AbCd`, `request`. */
  source: string;
  settings: LlmLevelSettings;
  /** The request's own layer: a model it names is routed by that name (see {@link resolveLlmSettings}). */
  fromRequest?: boolean;
}

/** A setting's value and the layer that set it. */
export interface ResolvedSetting<T> {
  value: T;
  source: string;
}

/** One level's `allowed_models`: a model must match a pattern of every such list (they intersect). */
export interface AllowedModelsConstraint {
  patterns: string[];
  source: string;
}

/** A setting some layer made that does not apply to this request, and why. */
export interface IgnoredSetting {
  field: 'provider';
  value: string;
  source: string;
  reason: string;
}

/** What the hierarchy gives a request. An unset field is `undefined`: no level set it. */
export interface LlmResolution {
  provider?: ResolvedSetting<string>;
  model?: ResolvedSetting<string>;
  temperature?: ResolvedSetting<number>;
  maxTokens?: ResolvedSetting<number>;
  /** Every level's allow-list, top level first; empty when no level restricts models. */
  allowedModels: AllowedModelsConstraint[];
  ignored: IgnoredSetting[];
}

/** The levels as the caller has them; every one is optional. */
export interface LlmHierarchyInput {
  /** The loaded configuration file (its `llm_config` and `workspaces`). */
  config?: { llm_config?: LlmLevelSettings; workspaces?: Readonly<Record<string, { llm_override: LlmLevelSettings }>> };
  /** The organisation's stored settings (`switchyard org set-llm`). */
  organisation?: { id: string; llm?: LlmLevelSettings };
  /** The workspace: its name selects the config file's override; `llm` is its stored settings. */
  workspace?: { name: string; llm?: LlmLevelSettings };
  /** The virtual key: its settings and its own `allowedModels` (empty means no restriction). */
  key?: { prefix: string; llm?: LlmLevelSettings; allowedModels?: ReadonlyArray<string> };
  /** What the request itself asks; `null` counts as not asked. */
  request?: { model?: string | null; temperature?: number | null; maxTokens?: number | null };
}

/** The model name a request sends to mean "whatever the hierarchy says". */
export const defaultModelName = 'default';

/**
 * The layers of `input`, in order: the config file's `llm_config`, the organisation, the config file's
 * workspace override, the stored workspace settings, the key, the request. The request may set only the
 * model, temperature and max_tokens; a request without a model, or with the model `default`, leaves the
 * model to the hierarchy.
 */
export function llmLayers(input: LlmHierarchyInput): LlmLayer[] {
  const layers: LlmLayer[] = [];
  const add = (source: string, settings: LlmLevelSettings | undefined) => {
    if (settings !== undefined) layers.push({ source, settings });
  };
  add('config:llm_config', input.config?.llm_config);
  if (input.organisation !== undefined) add(`organisation ${input.organisation.id}`, input.organisation.llm);
  if (input.workspace !== undefined) {
    const { name } = input.workspace;
    const overrides = input.config?.workspaces;
    // `hasOwn`, so that a workspace named `constructor` does not pick up the prototype's property.
    if (overrides !== undefined && Object.hasOwn(overrides, name)) add(`config:workspaces.${name}`, overrides[name].llm_override);
    add(`workspace ${name}`, input.workspace.llm);
  }
  if (input.key !== undefined) {
    const source = `key ${input.key.prefix}`;
    add(source, input.key.llm);
    // The key's own list is a second restriction at the key level, intersected like any other.
    if (input.key.allowedModels !== undefined && input.key.allowedModels.length > 0) {
      layers.push({ source, settings: { allowedModels: [...input.key.allowedModels] } });
    }
  }
  if (input.request !== undefined) {
    const { model, temperature, maxTokens } = input.request;
    const settings: LlmLevelSettings = {};
    if (typeof model === 'string' && model !== '' && model !== defaultModelName) settings.model = model;
    if (typeof temperature === 'number') settings.temperature = temperature;
    if (typeof maxTokens === 'number') settings.maxTokens = maxTokens;
    layers.push({ source: 'request', settings, fromRequest: true });
  }
  return layers;
}

/**
 * Folds the layers, first to last: each of provider, model, temperature and max_tokens takes the value of the
 * last layer that sets it; every allow-list is kept (they intersect, so a lower level narrows, never widens).
 * The hierarchy's provider goes with the hierarchy's model: when the request names a different model, that
 * name is routed as is (a model group or `provider/model`) and the provider is reported as ignored. A
 * provider set with no model anywhere above the request serves whatever model the request names.
 */
export function resolveLlmSettings(layers: ReadonlyArray<LlmLayer>): LlmResolution {
  const resolution: LlmResolution = { allowedModels: [], ignored: [] };
  let hierarchyModel: string | undefined;
  for (const layer of layers) {
    const { provider, model, temperature, maxTokens, allowedModels } = layer.settings;
    if (provider !== undefined && !layer.fromRequest) resolution.provider = { value: provider, source: layer.source };
    if (model !== undefined) {
      resolution.model = { value: model, source: layer.source };
      if (!layer.fromRequest) hierarchyModel = model;
    }
    if (temperature !== undefined) resolution.temperature = { value: temperature, source: layer.source };
    if (maxTokens !== undefined) resolution.maxTokens = { value: maxTokens, source: layer.source };
    if (allowedModels !== undefined && allowedModels.length > 0 && !layer.fromRequest) {
      resolution.allowedModels.push({ patterns: [...allowedModels], source: layer.source });
    }
  }
  const requestModel = layers.some((layer) => layer.fromRequest && layer.settings.model !== undefined) ? resolution.model : undefined;
  if (resolution.provider !== undefined && requestModel !== undefined && hierarchyModel !== undefined && requestModel.value !== hierarchyModel) {
    resolution.ignored.push({
      field: 'provider',
      value: resolution.provider.value,
      source: resolution.provider.source,
      reason: `the request names its own model (${requestModel.value}), which is routed by that name`,
    });
    resolution.provider = undefined;
  }
  return resolution;
}

/** Whether the hierarchy's allow-lists let a model through. */
export type ModelPermission = { allowed: true } | { allowed: false; source: string; patterns: string[]; reason: string };

/**
 * Checks `model` (served by `provider`, when known) against every allow-list of the resolution, top level
 * first; the first list it matches nothing of refuses it.
 */
export function checkModelAllowed(resolution: Pick<LlmResolution, 'allowedModels'>, model: string, provider?: string): ModelPermission {
  for (const constraint of resolution.allowedModels) {
    if (!modelMatchesAny(constraint.patterns, model, provider)) {
      return {
        allowed: false,
        source: constraint.source,
        patterns: constraint.patterns,
        reason: `model ${model} is not in the allowed models of ${constraint.source} (${constraint.patterns.join(', ')})`,
      };
    }
  }
  return { allowed: true };
}

/**
 * The model name to route for a resolution: the hierarchy's provider and model together
 * (`{ provider: ollama, model: "llama3:8b" }` -> `ollama/llama3:8b`), so the model is served by that provider
 * even when the name alone would resolve elsewhere. A model that already names its provider, or one without
 * a provider set, is routed as it is.
 */
export function routedModelName(resolution: Pick<LlmResolution, 'provider' | 'model'>): string | undefined {
  const model = resolution.model?.value;
  const provider = resolution.provider?.value;
  if (model === undefined || provider === undefined || model.startsWith(`${provider}/`)) return model;
  return `${provider}/${model}`;
}
