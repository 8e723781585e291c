import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { GatewayError } from '../../spec/index.js';
import type { Incident, IncidentChange } from './incident.js';
import { actionTargetOf, applyAction, remediationActionSchema, undoAction, type RemediationAction, type RemediationActions } from './remediation-actions.js';
import type { RemediationPolicy } from './remediation-policy.js';

/**
 * `pending-approval`: waits for a person; `active`: applied; `probing`: a deployment action undone
 * tentatively to see whether the fault is gone; `undone`: reverted after the incident cleared; `rejected`:
 * a person said no; `expired`: the incident cleared before anyone approved; `failed`: applying threw.
 */
export const remediationStates = ['pending-approval', 'active', 'probing', 'undone', 'rejected', 'expired', 'failed'] as const;
export type RemediationState = (typeof remediationStates)[number];

/**
 * One remediation of one incident; also what the admin API answers with (`GET /admin/v1/anomalies/remediations`,
 * approve, reject), so the type is derived from the schema its OpenAPI document publishes.
 */
export const remediationSchema = z.object({
  id: z.string(),
  incidentId: z.string(),
  policy: z.string(),
  action: remediationActionSchema,
  state: z.enum(remediationStates),
  /** Why it needs approval, when it does. */
  approvalReason: z.string().optional(),
  createdAt: z.number(),
  appliedAt: z.number().optional(),
  undoneAt: z.number().optional(),
  /** `kind:id` of the person who approved or rejected it. */
  decidedBy: z.string().optional(),
  /** Deployment actions: when the next probe is due, and the hold that doubles while the fault persists. */
  probeAt: z.number().optional(),
  holdMs: z.number().optional(),
  error: z.string().optional(),
});
export type Remediation = z.infer<typeof remediationSchema>;

/** An audit record of a remediation step (the audit log's entry shape). */
export interface RemediationAuditEntry {
  actor: { kind: 'system' | 'user' | 'master' | 'service-account' | 'key' | 'agent-token'; id: string };
  action: string;
  target: { kind: string; id: string };
  outcome: 'success' | 'denied' | 'failure';
  details: Record<string, unknown>;
}

/** Options of {@link RemediationEngine}. */
export interface RemediationEngineOptions {
  actions: RemediationActions;
  policies: ReadonlyArray<RemediationPolicy>;
  /** Appends to the audit log; must not throw (queue and report your own errors). */
  audit: (entry: RemediationAuditEntry, atMs: number) => void;
  /** The normal request rate per bucket of a key, for throttles of a team's top key. */
  requestBaseline?: (keyId: string, atMs: number) => number | undefined;
  /** Called on every state change (the dashboard, notifications). */
  onChange?: (remediation: Remediation, incident: Incident) => void;
  newId?: () => string;
  /** Records of finished remediations kept for listing. */
  keepFinished?: number;
}

const system = { kind: 'system', id: 'sentinel' } as const;
/** Holds double while a fault persists, up to this: a recovered deployment is not kept out for hours. */
const maximumHoldMs = 1_800_000;

/**
 * Applies remediation policies to incidents: a matching reversible action runs at once, a critical one waits
 * for approval; every step is audited, and the action is undone when its incident clears. Deployment actions
 * are probed: after the policy's hold the circuit closes (or the weight returns) tentatively; if the incident
 * is still out of band the action is applied again with twice the hold, else the incident clears on the
 * traffic that now flows.
 */
export class RemediationEngine {
  readonly #options: RemediationEngineOptions;
  readonly #byIncident = new Map<string, { remediation: Remediation; incident: Incident; policy: RemediationPolicy }>();
  readonly #finished: Remediation[] = [];
  readonly #newId: () => string;

  constructor(options: RemediationEngineOptions) {
    this.#options = options;
    this.#newId = options.newId ?? (() => `rem_${randomUUID()}`);
  }

  /** Current remediations (pending, active, probing) and the most recent finished ones, newest first. */
  list(): Remediation[] {
    const current = [...this.#byIncident.values()].map((entry) => entry.remediation);
    return [...current, ...this.#finished].sort((left, right) => right.createdAt - left.createdAt);
  }

  get(id: string): Remediation | undefined {
    return this.list().find((remediation) => remediation.id === id);
  }

  /** Reacts to what the monitor saw in a bucket. */
  async handle(change: IncidentChange, atMs: number): Promise<void> {
    const entry = this.#byIncident.get(change.incident.id);
    if (change.kind === 'opened' && entry === undefined) await this.#open(change.incident, atMs);
    else if (change.kind === 'persisting' && entry?.remediation.state === 'probing') await this.#reapply(entry, atMs);
    else if (change.kind === 'cleared' && entry !== undefined) await this.#close(entry, atMs);
  }

  /** Probes deployment actions (open circuits, shifted weights) whose hold is over; call once per bucket. */
  async tick(atMs: number): Promise<void> {
    for (const entry of this.#byIncident.values()) {
      const { remediation } = entry;
      if (remediation.state !== 'active' || remediation.probeAt === undefined || atMs < remediation.probeAt) continue;
      await undoAction(this.#options.actions, remediation.action);
      remediation.state = 'probing';
      this.#audit('anomaly.remediation.probe', remediation, entry.incident, 'success', atMs);
    }
  }

  /** A person approves a pending remediation: it is applied now. Errors: `not_found`, `conflict`. */
  async approve(id: string, actor: RemediationAuditEntry['actor'], atMs: number): Promise<Remediation> {
    const entry = this.#pending(id);
    entry.remediation.decidedBy = `${actor.kind}:${actor.id}`;
    this.#audit('anomaly.remediation.approve', entry.remediation, entry.incident, 'success', atMs, actor);
    await this.#apply(entry, atMs);
    return entry.remediation;
  }

  /** A person rejects a pending remediation: nothing is applied. Errors: `not_found`, `conflict`. */
  async reject(id: string, actor: RemediationAuditEntry['actor'], atMs: number): Promise<Remediation> {
    const entry = this.#pending(id);
    entry.remediation.decidedBy = `${actor.kind}:${actor.id}`;
    entry.remediation.state = 'rejected';
    this.#audit('anomaly.remediation.reject', entry.remediation, entry.incident, 'denied', atMs, actor);
    this.#finish(entry);
    return entry.remediation;
  }

  #pending(id: string): { remediation: Remediation; incident: Incident; policy: RemediationPolicy } {
    const entry = [...this.#byIncident.values()].find((each) => each.remediation.id === id);
    if (entry === undefined) {
      if (this.#finished.some((each) => each.id === id)) throw new GatewayError('conflict', `Remediation ${id} is already over.`);
      throw new GatewayError('not_found', `No remediation ${id}.`);
    }
    if (entry.remediation.state !== 'pending-approval') throw new GatewayError('conflict', `Remediation ${id} is ${entry.remediation.state}, not waiting for approval.`);
    return entry;
  }

  async #open(incident: Incident, atMs: number): Promise<void> {
    const policy = this.#options.policies.find((candidate) => matches(candidate, incident));
    if (policy === undefined) return;
    const action = this.#actionOf(policy, incident, atMs);
    if (action === undefined) return;
    // One remediation per target: a team incident caused by a key already throttled adds nothing.
    if (this.#targetTaken(action)) return;
    let approvalReason = policy.approval === 'required' ? `policy ${policy.name} requires approval` : undefined;
    if (action.kind !== 'throttle-key' && (action.kind === 'open-circuit' || action.factor === 0) && this.#options.actions.alternativesOf(action.deploymentId) === 0) {
      approvalReason = `deployment ${action.deploymentId} is the last one able to serve its model`;
    }
    const remediation: Remediation = { id: this.#newId(), incidentId: incident.id, policy: policy.name, action, state: approvalReason === undefined ? 'active' : 'pending-approval', createdAt: atMs };
    const entry = { remediation, incident, policy };
    this.#byIncident.set(incident.id, entry);
    if (approvalReason !== undefined) {
      remediation.approvalReason = approvalReason;
      this.#audit('anomaly.remediation.request-approval', remediation, incident, 'success', atMs);
      this.#options.onChange?.(remediation, incident);
      return;
    }
    await this.#apply(entry, atMs);
  }

  async #apply(entry: { remediation: Remediation; incident: Incident; policy: RemediationPolicy }, atMs: number): Promise<void> {
    const { remediation, incident, policy } = entry;
    try {
      await applyAction(this.#options.actions, remediation.action);
    } catch (error) {
      remediation.state = 'failed';
      remediation.error = (error as Error).message;
      this.#audit('anomaly.remediation.apply', remediation, incident, 'failure', atMs);
      this.#finish(entry);
      return;
    }
    remediation.state = 'active';
    remediation.appliedAt = atMs;
    // A drained deployment sends too little traffic to show that it has recovered: deployment actions are
    // probed (undone tentatively) after a hold. A throttled key keeps showing its offered load, so needs none.
    if (remediation.action.kind !== 'throttle-key') {
      remediation.holdMs = policy.probeAfterMs;
      remediation.probeAt = atMs + policy.probeAfterMs;
    }
    this.#audit('anomaly.remediation.apply', remediation, incident, 'success', atMs);
  }

  async #reapply(entry: { remediation: Remediation; incident: Incident; policy: RemediationPolicy }, atMs: number): Promise<void> {
    const { remediation } = entry;
    await applyAction(this.#options.actions, remediation.action);
    remediation.state = 'active';
    remediation.holdMs = Math.min(maximumHoldMs, 2 * (remediation.holdMs ?? entry.policy.probeAfterMs));
    remediation.probeAt = atMs + remediation.holdMs;
    this.#audit('anomaly.remediation.reapply', remediation, entry.incident, 'success', atMs);
  }

  async #close(entry: { remediation: Remediation; incident: Incident; policy: RemediationPolicy }, atMs: number): Promise<void> {
    const { remediation, incident } = entry;
    if (remediation.state === 'pending-approval') {
      remediation.state = 'expired';
      this.#audit('anomaly.remediation.expire', remediation, incident, 'success', atMs);
    } else if (remediation.state === 'active' || remediation.state === 'probing') {
      // A probing circuit is already closed; undoing again is a no-op by the port's contract.
      await undoAction(this.#options.actions, remediation.action);
      remediation.state = 'undone';
      remediation.undoneAt = atMs;
      this.#audit('anomaly.remediation.undo', remediation, incident, 'success', atMs);
    }
    this.#finish(entry);
  }

  #actionOf(policy: RemediationPolicy, incident: Incident, atMs: number): RemediationAction | undefined {
    const action = policy.action;
    if (action.kind === 'open-circuit' || action.kind === 'shift-weight') {
      if (incident.dimension !== 'deployment') return undefined;
      return action.kind === 'open-circuit' ? { kind: 'open-circuit', deploymentId: incident.subject } : { kind: 'shift-weight', deploymentId: incident.subject, factor: action.factor };
    }
    // A team is throttled through the key its root-cause hint names.
    const keyId = incident.dimension === 'key' ? incident.subject : incident.hint.dimension === 'key' ? incident.hint.value : undefined;
    if (keyId === undefined) return undefined;
    const perBucket = incident.dimension === 'key' ? incident.baselineRequestsPerBucket : this.#options.requestBaseline?.(keyId, atMs);
    const perMinute = perBucket === undefined ? action.minimumPerMinute : (perBucket * 60_000) / incident.bucketMs;
    return { kind: 'throttle-key', keyId, requestsPerMinute: Math.max(action.minimumPerMinute, Math.ceil(perMinute * action.multiplier)) };
  }

  #targetTaken(action: RemediationAction): boolean {
    const target = actionTargetOf(action);
    return [...this.#byIncident.values()].some((entry) => {
      const other = actionTargetOf(entry.remediation.action);
      return other.kind === target.kind && other.id === target.id;
    });
  }

  #finish(entry: { remediation: Remediation; incident: Incident }): void {
    this.#byIncident.delete(entry.incident.id);
    this.#finished.unshift(entry.remediation);
    this.#finished.length = Math.min(this.#finished.length, this.#options.keepFinished ?? 200);
  }

  #audit(action: string, remediation: Remediation, incident: Incident, outcome: RemediationAuditEntry['outcome'], atMs: number, actor: RemediationAuditEntry['actor'] = system): void {
    this.#options.audit(
      {
        actor,
        action,
        target: actionTargetOf(remediation.action),
        outcome,
        details: { remediationId: remediation.id, incidentId: incident.id, policy: remediation.policy, action: remediation.action, state: remediation.state, hint: incident.hint.summary, ...(remediation.error === undefined ? {} : { error: remediation.error }), ...(remediation.approvalReason === undefined ? {} : { approvalReason: remediation.approvalReason }) },
      },
      atMs,
    );
    this.#options.onChange?.(remediation, incident);
  }
}

function matches(policy: RemediationPolicy, incident: Incident): boolean {
  if (policy.when.dimension !== incident.dimension) return false;
  if (policy.when.severity === 'critical' && incident.severity !== 'critical') return false;
  return policy.when.metrics === undefined || incident.evidence.some((evidence) => policy.when.metrics?.includes(evidence.metric));
}
