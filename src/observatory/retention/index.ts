export { RetentionJob, retentionPolicyOf, type RetentionJobOptions, type RetentionPolicy, type RetentionReport } from './retention-job.js';
