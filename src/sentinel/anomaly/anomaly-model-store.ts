import { z } from 'zod';
import type { AnomalyModel } from './anomaly-model.js';

// The summaries below are what the admin API answers with (`GET /admin/v1/anomalies/models`, retrain,
// rollback): the zod schemas are its OpenAPI document's response schemas, the types are derived from them.

/** How a candidate did on the held-out window before it was allowed to replace the active version. */
export const modelValidationSchema = z.object({
  /** The held-out window (epoch ms, end exclusive), assumed clean. */
  heldOutFrom: z.number(),
  heldOutUntil: z.number(),
  /** Incidents the candidate raised on it, and how many it was allowed. */
  falseAlarms: z.number(),
  allowedFalseAlarms: z.number(),
  /** What the version active at the time raised on the same window (undefined when there was none). */
  previousFalseAlarms: z.number().optional(),
  accepted: z.boolean(),
  /** Why it was rejected, in words. */
  reason: z.string().optional(),
});
export type ModelValidation = z.infer<typeof modelValidationSchema>;

/** `active`: the one in use; `inactive`: accepted once, replaced since; `rejected`: failed validation. */
export const modelStatuses = ['active', 'inactive', 'rejected'] as const;
export type ModelStatus = (typeof modelStatuses)[number];

/** One version of the detector state, without its (large) body. */
export const anomalyModelSummarySchema = z.object({
  id: z.string(),
  /** 1, 2, 3, ... in the order they were trained. */
  version: z.number().int(),
  status: z.enum(modelStatuses),
  createdAt: z.number(),
  trainedFrom: z.number(),
  trainedUntil: z.number(),
  /** Series with a trained baseline. */
  seriesCount: z.number().int(),
  validation: modelValidationSchema,
  /** When it was last made active (training or rollback). */
  activatedAt: z.number().optional(),
});
export type AnomalyModelSummary = z.infer<typeof anomalyModelSummarySchema>;

/** A version with its body. */
export interface AnomalyModelVersion extends AnomalyModelSummary {
  model: AnomalyModel;
}

/**
 * The versions of the anomaly detectors' model. Written once per training run (minutes to hours apart),
 * never per request. At most one version is active; activating one makes the previous active one inactive.
 */
export interface AnomalyModelStore {
  /** Stores a new version as given (an `active` one replaces the current active version). */
  save(version: AnomalyModelVersion): Promise<void>;
  get(id: string): Promise<AnomalyModelVersion | undefined>;
  active(): Promise<AnomalyModelVersion | undefined>;
  /** Newest version first. */
  list(options?: { limit?: number }): Promise<AnomalyModelSummary[]>;
  /** The highest version number stored (0 when none). */
  latestVersion(): Promise<number>;
  /**
   * Makes a stored, non-rejected version the active one (rollback, or roll forward again); false when there is
   * no such version or it was rejected.
   */
  activate(id: string, atMs: number): Promise<boolean>;
}

export const defaultModelListLimit = 50;
