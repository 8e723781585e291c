import { GatewayError } from '../../spec/index.js';

// better-sqlite3 reports constraint failures as `SQLITE_CONSTRAINT_<KIND>`; pg with SQLSTATE codes.
const uniqueCodes = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY', '23505']);
const foreignKeyCodes = new Set(['SQLITE_CONSTRAINT_FOREIGNKEY', '23503']);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** What to say when a write breaks a constraint. */
export interface ConstraintMessages {
  /** A unique name (or id) is taken. */
  conflict: string;
  /** A referenced organisation or workspace does not exist. */
  missingReference: string;
}

/**
 * Runs a write and turns constraint failures into catalog errors: a duplicate into `conflict`, a reference
 * to a missing parent into `not_found`. Anything else (an unreachable server) passes through unchanged. On
 * PostgreSQL a failed statement ends the surrounding transaction, so callers let these errors propagate.
 */
export async function writeWithConstraints<T>(write: () => Promise<T>, messages: ConstraintMessages): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const code = codeOf(error);
    if (code !== undefined && uniqueCodes.has(code)) throw new GatewayError('conflict', messages.conflict, { cause: error });
    if (code !== undefined && foreignKeyCodes.has(code)) throw new GatewayError('not_found', messages.missingReference, { cause: error });
    throw error;
  }
}
