import { randomBytes } from 'node:crypto';

/**
 * Ids of budgets, limits and policies when the caller names none: a prefix that says what the id is
 * (`bud_`, `lim_`, `pol_`) and 120 random bits in base64url.
 */
export function newDefinitionId(prefix: 'bud' | 'lim' | 'pol'): string {
  return `${prefix}_${randomBytes(15).toString('base64url')}`;
}
