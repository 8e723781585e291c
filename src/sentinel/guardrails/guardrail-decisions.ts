/**
 * What the guardrails decided for one request, in the compact form that goes into the response header
 * `x-switchyard-guardrails` and the ledger row: `pii=masked;injection=flagged;output.secrets=blocked`.
 * Only scanners that did something appear; a decision never holds a scanned value.
 */
import type { GuardrailChannel } from './guardrails-config.js';

/**
 * What one scanner did: its action, or that it could not run. `reasked`: the answer did not match its JSON
 * schema and the model was asked once more, and its second answer matched.
 */
export type GuardrailOutcome = 'blocked' | 'masked' | 'flagged' | 'reasked' | 'timeout' | 'error';

/** One decision. */
export interface GuardrailDecision {
  scanner: string;
  side: 'input' | 'output';
  outcome: GuardrailOutcome;
  /** Channels where it fired (for the audit record). */
  channels: GuardrailChannel[];
  /** Finding types (`email`, `injection.override`), never values. */
  types: string[];
  /** The highest score seen. */
  score: number;
}

// Stronger outcomes replace weaker ones for the same scanner and side.
const strength: Record<GuardrailOutcome, number> = { reasked: 1, flagged: 2, masked: 3, timeout: 4, error: 4, blocked: 5 };

/** The decisions of one request, merged per scanner and side. */
export class GuardrailDecisions {
  private readonly byKey = new Map<string, GuardrailDecision>();

  record(decision: GuardrailDecision): void {
    const key = `${decision.side}\u0000${decision.scanner}`;
    const previous = this.byKey.get(key);
    if (previous === undefined) {
      this.byKey.set(key, { ...decision, channels: [...decision.channels], types: [...decision.types] });
      return;
    }
    if (strength[decision.outcome] > strength[previous.outcome]) previous.outcome = decision.outcome;
    for (const channel of decision.channels) if (!previous.channels.includes(channel)) previous.channels.push(channel);
    for (const type of decision.types) if (!previous.types.includes(type)) previous.types.push(type);
    previous.score = Math.max(previous.score, decision.score);
  }

  list(): GuardrailDecision[] {
    return [...this.byKey.values()];
  }

  get size(): number {
    return this.byKey.size;
  }

  /** `pii=masked;output.secrets=blocked`, or `undefined` when nothing was decided. */
  summary(): string | undefined {
    if (this.byKey.size === 0) return undefined;
    return this.list()
      .map((decision) => `${decision.side === 'output' ? 'output.' : ''}${decision.scanner}=${decision.outcome}`)
      .join(';');
  }
}

/** The response header that carries {@link GuardrailDecisions.summary}. */
export const guardrailsHeader = 'x-switchyard-guardrails';
