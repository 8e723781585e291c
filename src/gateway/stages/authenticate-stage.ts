import type { Clock } from '../../spec/index.js';
import type { Authenticator } from '../../governance/authenticator.js';
import type { Stage } from '../pipeline.js';

/**
 * Authenticates the presented key before anything else runs (unless the HTTP layer already did, to answer a
 * bad key with 401 before judging the body).
 */
export function createAuthenticateStage<Outcome>(authenticator: Authenticator, clock?: Clock): Stage<Outcome> {
  return async (context, next) => {
    if (context.principal === undefined) {
      const principal = authenticator.authenticate(context.presentedKey);
      context.principal = principal instanceof Promise ? await principal : principal;
    }
    if (clock !== undefined) context.authenticatedMonotonic ??= clock.monotonic();
    return next();
  };
}
