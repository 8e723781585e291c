/** Variables with a short name of their own, besides the generic `SWITCHYARD_A__B_C` form. */
const shortcuts: Record<string, string[]> = {
  PORT: ['server', 'port'],
  SWITCHYARD_PORT: ['server', 'port'],
  SWITCHYARD_HOST: ['server', 'host'],
  SWITCHYARD_BODY_LIMIT_BYTES: ['server', 'bodyLimitBytes'],
  SWITCHYARD_DATA_DIR: ['dataDir'],
  SWITCHYARD_PRESET: ['preset'],
  SWITCHYARD_DATABASE_URL: ['database', 'url'],
  SWITCHYARD_REDIS_URL: ['redis', 'url'],
  SWITCHYARD_LLM_CONFIG: ['llm_config'],
  SWITCHYARD_LOG_LEVEL: ['logging', 'level'],
  SWITCHYARD_DISCOVER_PROVIDERS: ['discoverProviders'],
  SWITCHYARD_PROVIDERS: ['providers'],
  SWITCHYARD_MODELS: ['models'],
};

/**
 * Variables that are not config keys: read by the CLI (`SWITCHYARD_URL` for `switchyard logs`), or by the
 * test and benchmark tooling. Without this list, exporting one of them would make `start` fail with an
 * unknown key.
 */
const reserved = new Set(['SWITCHYARD_CONFIG', 'SWITCHYARD_MASTER_KEY', 'SWITCHYARD_ENCRYPTION_KEY', 'SWITCHYARD_ADMIN_KEY', 'SWITCHYARD_SHARED_DIR', 'SWITCHYARD_URL']);
const reservedPrefixes = ['SWITCHYARD_TEST_', 'SWITCHYARD_BENCH_'];

/** A value set from the environment, and the variable it came from (for error messages). */
export interface EnvironmentOverride {
  path: string[];
  variable: string;
  value: unknown;
}

/**
 * Reads config overrides from the environment: the shortcuts above, and `SWITCHYARD_<KEY>__<KEY>` for any
 * nested key (`SWITCHYARD_ROUTING__TIMEOUTS__TOTAL_MS=30000` sets `routing.timeouts.totalMs`). A value
 * that starts with `[` or `{` is read as JSON, so lists such as `SWITCHYARD_MODELS` work too. `PORT` loses
 * to `SWITCHYARD_PORT` when both are set.
 */
export function readEnvironmentOverrides(environment: Record<string, string | undefined>): EnvironmentOverride[] {
  const overrides: EnvironmentOverride[] = [];
  const seen = new Set<string>();
  const names = Object.keys(environment).sort((left, right) => (left === 'PORT' ? -1 : right === 'PORT' ? 1 : left.localeCompare(right)));
  for (const variable of names) {
    const raw = environment[variable];
    if (raw === undefined || raw === '' || reserved.has(variable) || reservedPrefixes.some((prefix) => variable.startsWith(prefix))) continue;
    let path = shortcuts[variable];
    if (path === undefined) {
      if (!variable.startsWith('SWITCHYARD_')) continue;
      path = variable.slice('SWITCHYARD_'.length).split('__').map(toCamelCase);
    }
    const key = path.join('.');
    const value = /^\s*[[{]/.test(raw) ? parseJsonOrRaw(raw) : raw;
    if (seen.has(key)) {
      const index = overrides.findIndex((override) => override.path.join('.') === key);
      overrides[index] = { path, variable, value };
    } else {
      overrides.push({ path, variable, value });
      seen.add(key);
    }
  }
  return overrides;
}

/** Writes the overrides into a raw config object (a copy of the file's content). */
export function applyEnvironmentOverrides(raw: Record<string, unknown>, overrides: EnvironmentOverride[]): Record<string, unknown> {
  for (const override of overrides) {
    let target = raw;
    for (const segment of override.path.slice(0, -1)) {
      const next = target[segment];
      if (next === null || typeof next !== 'object' || Array.isArray(next)) target[segment] = {};
      target = target[segment] as Record<string, unknown>;
    }
    target[override.path[override.path.length - 1]] = override.value;
  }
  return raw;
}

function toCamelCase(segment: string): string {
  return segment.toLowerCase().replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

function parseJsonOrRaw(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
