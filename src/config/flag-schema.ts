import { z } from 'zod';

/**
 * An on/off setting: a YAML boolean, or the text `true` / `false` that an environment variable
 * (`SWITCHYARD_METRICS__ENABLED=false`) or a `--set` flag carries.
 */
export const flagSchema = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);
