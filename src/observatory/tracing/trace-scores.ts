import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { LedgerRow } from '../ledger-row.js';
import { traceIdSchema } from './observation-ingestion.js';
import type { ScoreDataType, TraceScore } from './trace-types.js';

/** A score sent through the API or the dashboard (`POST /admin/v1/scores`, or in an ingestion batch). */
export const scoreInputSchema = z
  .strictObject({
    traceId: traceIdSchema,
    /** Scores one observation of the trace rather than the trace. */
    spanId: z.string().trim().min(1).max(128).optional(),
    name: z.string().trim().min(1).max(200),
    value: z.union([z.number().finite(), z.string().min(1).max(1000), z.boolean()]),
    /** Inferred from the value when left out (number: numeric, string: categorical, boolean: boolean). */
    dataType: z.enum(['numeric', 'categorical', 'boolean']).optional(),
    comment: z.string().max(4000).optional(),
    source: z.enum(['api', 'dashboard']).default('api'),
  })
  .refine((score) => score.dataType === undefined || score.dataType === dataTypeOf(score.value), {
    message: 'value: does not match dataType (numeric takes a number, categorical a string, boolean true or false)',
    path: ['value'],
  });

export type ScoreInput = z.infer<typeof scoreInputSchema>;

function dataTypeOf(value: number | string | boolean): ScoreDataType {
  return typeof value === 'number' ? 'numeric' : typeof value === 'boolean' ? 'boolean' : 'categorical';
}

/** A new score from validated input; the owner is the trace's workspace (so its readers see the score). */
export function scoreOf(input: ScoreInput, createdAt: number, owner: { organisationId?: string; workspaceId?: string }): TraceScore {
  const score: TraceScore = {
    id: `score_${randomUUID()}`,
    traceId: input.traceId,
    name: input.name,
    value: input.value,
    dataType: dataTypeOf(input.value),
    source: input.source,
    createdAt,
  };
  if (input.spanId !== undefined) score.spanId = input.spanId;
  if (input.comment !== undefined) score.comment = input.comment;
  if (owner.organisationId !== undefined) score.organisationId = owner.organisationId;
  if (owner.workspaceId !== undefined) score.workspaceId = owner.workspaceId;
  return score;
}

/** A config-defined rule that scores gateway requests as they finish (`tracing.scoreRules`, validated there). */
export interface ScoreRule {
  name: string;
  /** `error`: the request failed (only with one of `errorCodes`, when given); `latency`: it took over `thresholdMs`. */
  when: 'error' | 'latency';
  thresholdMs?: number;
  errorCodes?: readonly string[];
  value: number | string | boolean;
}

/** The scores the rules give a finished request (none when no rule matches: rules never score "fine"). */
export function applyScoreRules(rules: readonly ScoreRule[], row: LedgerRow, traceId: string, spanId: string, createdAt: number): TraceScore[] {
  const scores: TraceScore[] = [];
  for (const rule of rules) {
    const matches =
      rule.when === 'error'
        ? row.status === 'error' && (rule.errorCodes === undefined || (row.errorCode !== undefined && rule.errorCodes.includes(row.errorCode)))
        : row.latencyMs > (rule.thresholdMs ?? Number.POSITIVE_INFINITY);
    if (!matches) continue;
    const score: TraceScore = {
      id: `score_${randomUUID()}`,
      traceId,
      spanId,
      name: rule.name,
      value: rule.value,
      dataType: dataTypeOf(rule.value),
      source: 'rule',
      comment: rule.when === 'error' ? `request ${row.id} failed: ${row.errorCode ?? 'error'}` : `request ${row.id} took ${row.latencyMs} ms`,
      createdAt,
    };
    if (row.organisationId !== undefined) score.organisationId = row.organisationId;
    if (row.workspaceId !== undefined) score.workspaceId = row.workspaceId;
    scores.push(score);
  }
  return scores;
}
