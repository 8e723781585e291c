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
  const explicit = options.file ?? (options.environment.SWITCHYARD_CONFIG || undefined);
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
    const flagOverrides = options.overrides ?? [];
    // Where a value at `path` came from: a flag or variable that set it (or a parent or child of it), else the file.
    const sourceOf = (path: ReadonlyArray<PropertyKey>): string => {
      if (path.length === 0) return fileName;
      if (flagOverrides.some((override) => overlaps(override.path, path))) return 'command line';
      const fromEnvironment = environmentOverrides.find((override) => overlaps(override.path, path));
      return fromEnvironment ? `environment ${fromEnvironment.variable}` : fileName;
    };
    const problems: ConfigProblem[] = parsed.error.issues.flatMap((issue): ConfigProblem[] => {
      // An unknown key may come from a misspelt variable (SWITCHYARD_ROUTING__TIMEOUT__TOTAL_MS): one problem
      // per key, each with its own source.
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => ({ source: sourceOf([...issue.path, key]), path: formatPath(issue.path), message: `unknown key "${key}"` }));
      }
      return [{ source: sourceOf(issue.path), path: formatPath(issue.path), message: describeIssue(issue) }];
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

function describeIssue(issue: { message: string }): string {
  return issue.message.replace(/^Invalid input: /, '');
}

/** True when one path is a prefix of the other, segment by segment (`models` and `models[0].name`). */
function overlaps(left: ReadonlyArray<PropertyKey>, right: ReadonlyArray<PropertyKey>): boolean {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index++) if (String(left[index]) !== String(right[index])) return false;
  return true;
}
