/** One problem in the configuration: where it is and what was expected there. */
export interface ConfigProblem {
  /** The file, or `environment VARIABLE`, the value came from. */
  source: string;
  /** Dotted path in the config (`routing.timeouts.totalMs`, `providers[0].apiKey`). */
  path: string;
  message: string;
}

/**
 * A configuration that cannot start the gateway. Its message lists each problem as
 * `source: path: what was expected`, and never includes a secret's value.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: ConfigProblem[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  ${problem.source}: ${problem.path || '(root)'}: ${problem.message}`).join('\n')}`);
  }
}

/** Formats a zod issue path as `a.b[0].c`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}
