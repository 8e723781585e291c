import { z } from 'zod';

/**
 * A secret in config: a reference to an environment variable (`{ env: NAME }`), never printed. A plain
 * string is accepted too (for local files), but `config explain` and the admin API never show it.
 */
export const secretReferenceSchema = z.union([z.string().min(1), z.strictObject({ env: z.string().min(1) })]);

export type SecretReference = z.infer<typeof secretReferenceSchema>;

/** True for a `{ env: NAME }` object. */
export function isEnvironmentReference(value: unknown): value is { env: string } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as { env?: unknown }).env === 'string';
}

/**
 * Replaces every `{ env: NAME }` found anywhere in `value` with the variable's value. A missing variable is
 * reported by path (the caller turns it into a config error); the value itself is never echoed.
 */
export function resolveSecretReferences(
  value: unknown,
  environment: Record<string, string | undefined>,
  path: Array<string | number> = [],
  missing: Array<{ path: Array<string | number>; variable: string }> = [],
): unknown {
  if (isEnvironmentReference(value)) {
    const resolved = environment[value.env];
    if (resolved === undefined || resolved === '') missing.push({ path, variable: value.env });
    return resolved;
  }
  if (Array.isArray(value)) return value.map((item, index) => resolveSecretReferences(item, environment, [...path, index], missing));
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = resolveSecretReferences(item, environment, [...path, key], missing);
    return copy;
  }
  return value;
}
