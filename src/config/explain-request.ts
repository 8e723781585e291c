import {
  checkModelAllowed,
  type AllowedModelsConstraint,
  type IgnoredSetting,
  type LlmResolution,
  type ModelPermission,
  type ResolvedSetting,
} from './llm-hierarchy.js';

/** The deployment routing would pick for the request, when the caller asked the router. */
export interface DeploymentChoice {
  provider: string;
  model: string;
  id?: string;
  /** The model group it belongs to. */
  group?: string;
  strategy?: string;
}

/** The JSON form of an explanation (`switchyard config explain --json`). Unset settings are `null`. */
export interface RequestExplanation {
  settings: {
    provider: ResolvedSetting<string> | null;
    model: ResolvedSetting<string> | null;
    temperature: ResolvedSetting<number> | null;
    max_tokens: ResolvedSetting<number> | null;
  };
  allowedModels: AllowedModelsConstraint[];
  /** The model checked against the allow-lists (the deployment's provider helps match `provider/*`); `null` without a model. */
  modelAllowed: ModelPermission | null;
  ignored: IgnoredSetting[];
  deployment: DeploymentChoice | null;
}

/** An explanation as the human-readable table and as JSON. */
export interface FormattedExplanation {
  table: string;
  json: RequestExplanation;
}

const unset = '(not set)';

/**
 * What `switchyard config explain --key K --model M` prints: every setting with its value and the level it
 * came from, the allow-lists and whether the model passes them, settings that do not apply, and the
 * deployment chosen when one is given.
 */
export function formatExplanation(resolution: LlmResolution, deployment?: DeploymentChoice): FormattedExplanation {
  const model = resolution.model?.value;
  const json: RequestExplanation = {
    settings: {
      provider: resolution.provider ?? null,
      model: resolution.model ?? null,
      temperature: resolution.temperature ?? null,
      max_tokens: resolution.maxTokens ?? null,
    },
    allowedModels: resolution.allowedModels,
    modelAllowed: model === undefined ? null : checkModelAllowed(resolution, model, deployment?.provider ?? resolution.provider?.value),
    ignored: resolution.ignored,
    deployment: deployment ?? null,
  };

  const rows: string[][] = [['SETTING', 'VALUE', 'SOURCE']];
  const settingRow = (name: string, setting: ResolvedSetting<string | number> | undefined, fallback = '') =>
    rows.push(setting === undefined ? [name, unset, fallback] : [name, String(setting.value), setting.source]);
  settingRow('provider', resolution.provider, model === undefined ? '' : 'routed by the model name');
  settingRow('model', resolution.model);
  settingRow('temperature', resolution.temperature, "the provider's default");
  settingRow('max_tokens', resolution.maxTokens, "the provider's default");
  if (resolution.allowedModels.length === 0) rows.push(['allowed_models', 'any', '']);
  for (const constraint of resolution.allowedModels) rows.push(['allowed_models', constraint.patterns.join(', '), constraint.source]);
  if (deployment !== undefined) {
    const details = [deployment.id === undefined ? undefined : `id ${deployment.id}`, deployment.strategy === undefined ? undefined : `strategy ${deployment.strategy}`]
      .filter((detail) => detail !== undefined)
      .join(', ');
    rows.push(['deployment', `${deployment.provider}/${deployment.model}${details === '' ? '' : ` (${details})`}`, deployment.group === undefined ? 'routing' : `routing: group ${deployment.group}`]);
  }

  const lines = alignColumns(rows);
  if (json.modelAllowed === null) lines.push('', 'No model: the request names none and no level sets one.');
  else if (json.modelAllowed.allowed) lines.push('', `Model ${model} is allowed.`);
  else lines.push('', `Refused: ${json.modelAllowed.reason}.`);
  for (const ignored of resolution.ignored) lines.push(`Ignored: ${ignored.field} ${ignored.value} from ${ignored.source}: ${ignored.reason}.`);
  return { table: `${lines.join('\n')}\n`, json };
}

function alignColumns(rows: ReadonlyArray<ReadonlyArray<string>>): string[] {
  const widths = rows[0].map((_heading, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ').trimEnd());
}
