import { z } from 'zod';
import { seriesDimensions, seriesMetrics } from './series.js';

/** What a policy does to the incident's subject (or, for a team, to the key the hint points at). */
export const policyActionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('open-circuit') }),
  z.strictObject({ kind: z.literal('shift-weight'), factor: z.number().min(0).max(1).default(0.1) }),
  z.strictObject({
    kind: z.literal('throttle-key'),
    /** The cap, as a multiple of the key's normal request rate. */
    multiplier: z.number().min(1).default(1.5),
    /** Never cap below this many requests per minute. */
    minimumPerMinute: z.number().int().min(1).default(10),
  }),
]);

/**
 * A remediation policy: which incidents it handles and what it does. `approval: automatic` applies at once
 * (reversible actions); `required` waits for a person to approve in the admin API or the CLI. An action that
 * would take away a model's last deployment always waits for approval, whatever the policy says.
 */
export const remediationPolicySchema = z.strictObject({
  name: z.string().trim().min(1),
  when: z.strictObject({
    dimension: z.enum(seriesDimensions),
    /** Any of these metrics among the incident's series (absent: any). */
    metrics: z.array(z.enum(seriesMetrics)).min(1).optional(),
    /** Only incidents at least this severe. */
    severity: z.enum(['warning', 'critical']).default('warning'),
  }),
  action: policyActionSchema,
  approval: z.enum(['automatic', 'required']).default('automatic'),
  /** Deployment actions are probed (undone tentatively) after this long, doubling while the fault persists. */
  probeAfterMs: z.number().int().min(1_000).default(600_000),
});

export type RemediationPolicy = z.output<typeof remediationPolicySchema>;
export type RemediationPolicyInput = z.input<typeof remediationPolicySchema>;

/** The policies used when none are configured: the first that matches an incident applies. */
export const defaultRemediationPolicies: RemediationPolicy[] = z.array(remediationPolicySchema).parse([
  { name: 'open-circuit-on-errors', when: { dimension: 'deployment', metrics: ['error_rate'] }, action: { kind: 'open-circuit' }, approval: 'automatic' },
  { name: 'shift-weight-on-latency', when: { dimension: 'deployment', metrics: ['latency', 'time_to_first_token'] }, action: { kind: 'shift-weight', factor: 0.1 }, approval: 'automatic' },
  { name: 'throttle-runaway-key', when: { dimension: 'key' }, action: { kind: 'throttle-key', multiplier: 1.5 }, approval: 'automatic' },
  { name: 'throttle-team-top-key', when: { dimension: 'team', severity: 'critical' }, action: { kind: 'throttle-key', multiplier: 1.5 }, approval: 'required' },
]);
