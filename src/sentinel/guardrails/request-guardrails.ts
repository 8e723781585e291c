import type { MaskingVault } from '../scanners/masking.js';
import type { GuardrailDecisions } from './guardrail-decisions.js';

/**
 * What the guardrails keep on a request while it runs: the decisions (for the header and the ledger) and
 * the masking vault (placeholder -> value) used to restore the answer for the client. The vault lives only
 * in memory, for this request: it is never logged, stored or sent upstream.
 */
export interface RequestGuardrails {
  decisions: GuardrailDecisions;
  vault?: MaskingVault;
}
