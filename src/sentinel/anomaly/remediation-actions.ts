import { z } from 'zod';

/**
 * What remediation can do to the gateway, each with its undo. The engine only calls this port, so it runs the
 * same against the live router and limiter as against the fault-injection suite's simulated fleet.
 * Every method is idempotent: applying twice or undoing what is not applied changes nothing.
 */
export interface RemediationActions {
  /** Refuses every call to a deployment (its breaker held open) until `closeCircuit`. */
  openCircuit(deploymentId: string): Promise<void>;
  closeCircuit(deploymentId: string): Promise<void>;
  /** Multiplies a deployment's routing weight by `factor` (0 to 1) until `restoreWeight`. */
  shiftWeight(deploymentId: string, factor: number): Promise<void>;
  restoreWeight(deploymentId: string): Promise<void>;
  /** Caps a key's requests per minute until `releaseKey`. */
  throttleKey(keyId: string, requestsPerMinute: number): Promise<void>;
  releaseKey(keyId: string): Promise<void>;
  /**
   * How many other deployments could serve the traffic of `deploymentId` (same model group, not held open by
   * remediation). Taking away the last one is critical: it waits for a person.
   */
  alternativesOf(deploymentId: string): number;
}

/** One concrete action (as the admin API shows it in a remediation). */
export const remediationActionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('open-circuit'), deploymentId: z.string() }),
  z.object({ kind: z.literal('shift-weight'), deploymentId: z.string(), factor: z.number() }),
  z.object({ kind: z.literal('throttle-key'), keyId: z.string(), requestsPerMinute: z.number() }),
]);
export type RemediationAction = z.infer<typeof remediationActionSchema>;

/** Applies an action through the port. */
export function applyAction(actions: RemediationActions, action: RemediationAction): Promise<void> {
  switch (action.kind) {
    case 'open-circuit':
      return actions.openCircuit(action.deploymentId);
    case 'shift-weight':
      return actions.shiftWeight(action.deploymentId, action.factor);
    case 'throttle-key':
      return actions.throttleKey(action.keyId, action.requestsPerMinute);
  }
}

/** Undoes an action through the port. */
export function undoAction(actions: RemediationActions, action: RemediationAction): Promise<void> {
  switch (action.kind) {
    case 'open-circuit':
      return actions.closeCircuit(action.deploymentId);
    case 'shift-weight':
      return actions.restoreWeight(action.deploymentId);
    case 'throttle-key':
      return actions.releaseKey(action.keyId);
  }
}

/** What the action is applied to, for the audit record. */
export function actionTargetOf(action: RemediationAction): { kind: 'deployment' | 'key'; id: string } {
  return action.kind === 'throttle-key' ? { kind: 'key', id: action.keyId } : { kind: 'deployment', id: action.deploymentId };
}
