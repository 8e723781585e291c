/** Why generation stopped, in the gateway's own words. */
export type UnifiedFinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

/**
 * A finish reason: the unified value every dialect renders, and the provider's raw value kept for audit
 * (e.g. `{ unified: 'stop', raw: 'end_turn' }`).
 */
export interface FinishReason {
  unified: UnifiedFinishReason;
  raw?: string;
}
