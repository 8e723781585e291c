import { z } from 'zod';
import { flagSchema as flag } from './flag-schema.js';
import { detectorSettingsSchema } from '../sentinel/anomaly/detector-settings.js';
import { remediationPolicySchema } from '../sentinel/anomaly/remediation-policy.js';

/**
 * `anomaly:` in the config file: anomaly detection over the gateway's own traffic and its remediation (see
 * docs/anomaly-detection.md). Off by default.
 */
export const anomalyConfigSchema = z
  .strictObject({
    enabled: flag.default(false),
    /** How buckets are judged (bucket length, thresholds, persistence, CUSUM, minimum deviations). */
    detector: detectorSettingsSchema.prefault({}),
    remediation: z
      .strictObject({
        /** Apply the policies' actions; off: incidents are only reported. */
        enabled: flag.default(true),
        /** The policies, first match wins; absent: the defaults of docs/anomaly-detection.md. */
        policies: z.array(remediationPolicySchema).optional(),
      })
      .prefault({}),
    training: z
      .strictObject({
        /** Retrain this often (a new version replaces the active one only if it passes validation). */
        intervalHours: z.coerce.number().positive().default(24),
        /** History each version is trained on, and the most recent part of it held out to validate. */
        windowDays: z.coerce.number().positive().max(60).default(14),
        heldOutHours: z.coerce.number().positive().default(24),
        /** False alarms allowed per week on the held-out window (prorated). */
        allowedFalseAlarmsPerWeek: z.coerce.number().min(0).default(1),
        /** Ledger rows read per training run at most (newest first). */
        maxRows: z.coerce.number().int().positive().default(2_000_000),
      })
      .prefault({}),
  })
  .prefault({});

export type AnomalyConfig = z.output<typeof anomalyConfigSchema>;
