import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { configSchema, type SwitchyardConfig } from './config-schema.js';
import { ConfigError, formatPath, type ConfigProblem } from './config-error.js';
import { applyEnvironmentOverrides, readEnvironmentOverrides } from './environment-overrides.js';

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** An explicit file (`--config`, `SWITCHYARD_CONFIG`); it must exist. Otherwise `./switchyard.yaml` if present. */
  file?: string;
  environment: Record<string, string | undefined>;
  /** Directory relative paths start from. */
  cwd: string;
  /** Values from command-line flags; they win over file and environment. */
  overrides?: Array<{ path: string[]; value: unknown }>;
}

/** The validated configuration and where it came from. */
export interface LoadedConfig {
  config: SwitchyardConfig;
  /** The file read, if any. */
  file?: string;
  /** The data directory, absolute. */
  dataDirectory: string;
}

/**
 * Loads the configuration: defaults, then the YAML file, then the environment, then flags. Every problem is
 * reported at once with the file (or variable), the path and what was expected.
 */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const explicit = options.file ?? options.environment.SWITCHYARD_CONFIG;
  const file = explicit !== undefined ? resolve(options.cwd, explicit) : defaultFile(options.cwd);
  let raw: Record<string, unknown> = {};
  const fileName = file ?? 'defaults';
  if (file !== undefined) {
    if (!existsSync(file)) throw new ConfigError([{ source: file, path: '', message: 'the config file does not exist' }]);
    raw = readYamlObject(file);
  }
  const environmentOverrides = readEnvironmentOverrides(options.environment);
  applyEnvironmentOverrides(raw, environmentOverrides);
  applyEnvironmentOverrides(
    raw,
    (options.overrides ?? []).map((override) => ({ ...override, variable: 'command line' })),
  );
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems: ConfigProblem[] = parsed.error.issues.map((issue) => {
      const path = formatPath(issue.path);
      const fromEnvironment = environmentOverrides.find((override) => path.startsWith(override.path.join('.')));
      const fromFlag = (options.overrides ?? []).find((override) => path.startsWith(override.path.join('.')));
      const source = fromFlag ? 'command line' : fromEnvironment ? `environment ${fromEnvironment.variable}` : fileName;
      return { source, path, message: describeIssue(issue) };
    });
    throw new ConfigError(problems);
  }
  return { config: parsed.data, file, dataDirectory: resolve(options.cwd, parsed.data.dataDir) };
}

function defaultFile(cwd: string): string | undefined {
  for (const name of ['switchyard.yaml', 'switchyard.yml']) {
    const candidate = resolve(cwd, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function readYamlObject(file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError([{ source: file, path: '', message: `not valid YAML: ${(error as Error).message.split('\n')[0]}` }]);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError([{ source: file, path: '', message: 'expected a mapping at the top level' }]);
  }
  return value as Record<string, unknown>;
}

function describeIssue(issue: { code: string; message: string; keys?: string[] }): string {
  if (issue.code === 'unrecognized_keys' && issue.keys) return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
  return issue.message.replace(/^Invalid input: /, '');
}
