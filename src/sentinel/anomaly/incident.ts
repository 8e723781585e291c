import { z } from 'zod';
import { seriesDimensions, seriesMetrics } from './series.js';

// The shapes below are what the admin API answers with (`GET /admin/v1/anomalies`): the zod schemas are its
// OpenAPI document's response schemas, and the types are derived from them so the two cannot drift.

/** One bucket of evidence: the value and the normal it was judged against. */
export const evidencePointSchema = z.object({
  bucketStart: z.number(),
  value: z.number(),
  baseline: z.number(),
  /** The band a normal bucket stays within. */
  lower: z.number(),
  upper: z.number(),
});
export type EvidencePoint = z.infer<typeof evidencePointSchema>;

/** A series that took part in an incident, with its recent buckets. */
export const seriesEvidenceSchema = z.object({
  series: z.string(),
  metric: z.enum(seriesMetrics),
  errorCode: z.string().optional(),
  /** `persistence`: k of n buckets out of band; `drift`: a sustained smaller rise (CUSUM). */
  reason: z.enum(['persistence', 'drift']),
  /** The recent buckets, oldest first, up to and including the one that raised it. */
  points: z.array(evidencePointSchema),
});
export type SeriesEvidence = z.infer<typeof seriesEvidenceSchema>;

/** Which part of the gateway explains most of the deviation. */
export const rootCauseHintSchema = z.object({
  dimension: z.enum([...seriesDimensions, 'model', 'provider', 'error_code']),
  value: z.string(),
  /** Share of the deviation it explains, 0 to 1. */
  share: z.number(),
  /** One sentence for people. */
  summary: z.string(),
});
export type RootCauseHint = z.infer<typeof rootCauseHintSchema>;

/**
 * An anomaly of one subject (a deployment, key or team): open from the bucket in which one of its series
 * turned anomalous until every such series is back to normal. Several series of the subject going wrong
 * together are one incident, one alert.
 */
export const incidentSchema = z.object({
  id: z.string(),
  dimension: z.enum(seriesDimensions),
  subject: z.string(),
  severity: z.enum(['warning', 'critical']),
  state: z.enum(['open', 'cleared']),
  /** End of the bucket that raised it (when it could first be known), epoch ms. */
  detectedAt: z.number(),
  clearedAt: z.number().optional(),
  evidence: z.array(seriesEvidenceSchema),
  hint: rootCauseHintSchema,
  /** What else is known of the subject (a deployment's provider and model, a key's team). */
  attributes: z.record(z.string(), z.string()),
  /** For key and team incidents: the normal request rate per bucket at detection (throttles are set from it). */
  baselineRequestsPerBucket: z.number().optional(),
  /** Bucket length of the detectors that raised it, ms. */
  bucketMs: z.number(),
});
export type Incident = z.infer<typeof incidentSchema>;

/** What changed about an incident in a bucket. `persisting`: still open and out of band again in this bucket. */
export type IncidentChange = { kind: 'opened' | 'persisting' | 'cleared'; incident: Incident };
