import type { AssistantPart } from './chat-message.js';
import type { FinishReason } from './finish-reason.js';
import type { Usage } from './usage.js';
import type { CallWarning } from './warning.js';

/** One generated alternative (there is more than one only when the request asked for `n` > 1). */
export interface ChatChoice {
  index: number;
  content: AssistantPart[];
  finishReason: FinishReason;
}

/** The complete answer to a non-streaming chat call. */
export interface ChatResult {
  /** The provider's response id, when it gave one. */
  id?: string;
  /** The model the provider says answered. */
  model?: string;
  /** Creation time in unix seconds, when the provider gave one. */
  created?: number;
  choices: ChatChoice[];
  usage: Usage;
  warnings: CallWarning[];
  /** Provider-specific extras (system fingerprint, service tier, safety ratings...). */
  providerMetadata?: Record<string, unknown>;
}
