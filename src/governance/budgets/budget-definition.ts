import { z } from 'zod';
import { GatewayError } from '../../spec/gateway-error.js';
import type { BudgetDefinition, BudgetScopeKind } from './budget-ledger.js';

const limitMicrosSchema = z
  .number({ error: 'limitMicros must be a number of micro-dollars (1 dollar = 1000000)' })
  .int({ error: 'limitMicros must be a whole number of micro-dollars (1 dollar = 1000000)' })
  .positive({ error: 'limitMicros must be above 0: a budget of nothing would refuse every request' })
  .max(Number.MAX_SAFE_INTEGER, { error: `limitMicros must be at most ${Number.MAX_SAFE_INTEGER}` });

const thresholdsSchema = z
  .array(
    z
      .number({ error: 'a threshold must be a number, in percent of the limit' })
      .int({ error: 'a threshold must be a whole percentage' })
      .min(1, { error: 'a threshold must be between 1 and 100 percent of the limit' })
      .max(100, { error: 'a threshold must be between 1 and 100 percent of the limit' }),
    { error: 'thresholds must be a list of percentages, e.g. [50, 80, 100]' },
  )
  .refine((thresholds) => thresholds.every((threshold, index) => index === 0 || threshold > thresholds[index - 1]!), {
    error: 'thresholds must be in ascending order without repeats, e.g. [50, 80, 100]',
  });

/** A budget as the admin API and the config accept it (thresholds default to none). */
export const budgetDefinitionSchema = z.strictObject({
  id: z.string().min(1, { error: 'id must not be empty' }),
  scope: z.enum(['key', 'team', 'workspace', 'organisation'], { error: 'scope must be one of key, team, workspace, organisation' }),
  scopeId: z.string().min(1, { error: 'scopeId must name the key, team, workspace or organisation' }),
  period: z.enum(['day', 'week', 'month'], { error: 'period must be one of day, week, month' }),
  limitMicros: limitMicrosSchema,
  thresholds: thresholdsSchema.default([]),
}) satisfies z.ZodType<BudgetDefinition, unknown>;

/** A change to a budget's limit and thresholds (its scope and period are fixed: make a new budget instead). */
export const budgetPatchSchema = z
  .strictObject({ limitMicros: limitMicrosSchema.optional(), thresholds: thresholdsSchema.optional() })
  .refine((patch) => patch.limitMicros !== undefined || patch.thresholds !== undefined, {
    error: 'a budget change needs limitMicros or thresholds',
  });

/** A parsed {@link budgetPatchSchema}. */
export type BudgetPatch = z.infer<typeof budgetPatchSchema>;

function invalid(error: z.ZodError): GatewayError {
  const reasons = error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message));
  const first = error.issues[0]?.path[0];
  return new GatewayError('invalid_request', `Invalid budget: ${reasons.join('; ')}`, typeof first === 'string' ? { param: first } : {});
}

/** Parses a budget from outside, throwing `GatewayError('invalid_request')` that names each wrong field. */
export function parseBudgetDefinition(input: unknown): BudgetDefinition {
  const result = budgetDefinitionSchema.safeParse(input);
  if (!result.success) throw invalid(result.error);
  return result.data;
}

/** Parses a budget change from outside, throwing `GatewayError('invalid_request')` that names each wrong field. */
export function parseBudgetPatch(input: unknown): BudgetPatch {
  const result = budgetPatchSchema.safeParse(input);
  if (!result.success) throw invalid(result.error);
  return result.data;
}

/** Who a request is charged to. */
export interface BudgetSubject {
  keyId: string;
  teamId?: string;
  workspaceId: string;
  organisationId: string;
}

// Narrowest first, so a refusal names the key's own budget before the organisation's.
const scopeOrder: Record<BudgetScopeKind, number> = { key: 0, team: 1, workspace: 2, organisation: 3 };

/** The budgets a request of `subject` is charged to: its key's, team's, workspace's and organisation's. */
export function applicableBudgets(definitions: ReadonlyArray<BudgetDefinition>, subject: BudgetSubject): BudgetDefinition[] {
  const scopeIds: Record<BudgetScopeKind, string | undefined> = {
    key: subject.keyId,
    team: subject.teamId,
    workspace: subject.workspaceId,
    organisation: subject.organisationId,
  };
  return definitions
    .filter((definition) => scopeIds[definition.scope] !== undefined && scopeIds[definition.scope] === definition.scopeId)
    .sort((left, right) => scopeOrder[left.scope] - scopeOrder[right.scope]);
}
