import type { BudgetLedger } from '../budgets/budget-ledger.js';
import type { RequestExplorerStores } from '../../observatory/payloads/request-explorer-admin.js';
import type { Principal } from '../principal.js';
import type { AgentTokenIssuer } from '../tokens/agent-token.js';
import type { UnitOfWork } from './governance-stores.js';

/**
 * What a change may make stale in other replicas' caches: `keys` (the key cache), `budgets`, `limits`,
 * `policies` (their definitions) and `llm` (organisation and workspace model settings).
 */
export type ChangeTopic = 'keys' | 'budgets' | 'limits' | 'policies' | 'llm';

/** What the admin use cases need from the composition root. */
export interface AdminDependencies {
  unitOfWork: UnitOfWork;
  /** Read for the current spend shown with each budget. */
  budgetLedger: Pick<BudgetLedger, 'states'>;
  agentTokens: AgentTokenIssuer;
  /** Epoch milliseconds. */
  now: () => number;
  /**
   * Called after a change to keys, budgets, limits, policies or model settings has committed (the lead
   * connects it to cache invalidation across replicas). A failure here does not undo the change: it is
   * passed to `reportError`, and caches still expire on their own.
   */
  onChange: (topic: ChangeTopic, id: string) => void | Promise<void>;
  /** Errors that must not fail an already committed call (a failed change notice, a failed denial audit). */
  reportError?: (error: unknown) => void;
  /** The usage ledger and stored payloads the request explorer reads (its routes answer 404 without them). */
  requests?: RequestExplorerStores;
}

/** Who calls, and the request id the audit record keeps. */
export interface AdminCall {
  principal: Principal;
  requestId?: string;
}
