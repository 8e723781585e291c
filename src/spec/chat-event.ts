import type { FinishReason } from './finish-reason.js';
import type { GatewayError } from './gateway-error.js';
import type { Usage } from './usage.js';
import type { CallWarning } from './warning.js';

/** First event of every stream. */
export interface StreamStartEvent {
  type: 'stream-start';
  id?: string;
  model?: string;
  created?: number;
  warnings: CallWarning[];
}

/** A fragment of visible text for choice `choice`. */
export interface TextDeltaEvent {
  type: 'text-delta';
  choice: number;
  delta: string;
}

/** A fragment of reasoning text, or the signature that closes a reasoning block. */
export interface ReasoningDeltaEvent {
  type: 'reasoning-delta';
  choice: number;
  delta: string;
  signature?: string;
}

/**
 * A fragment of a tool call. `index` identifies the call within its choice; the first fragment of a call
 * carries `id` and `name`, later ones only `argumentsDelta` (a piece of the JSON text).
 */
export interface ToolCallDeltaEvent {
  type: 'tool-call-delta';
  choice: number;
  index: number;
  id?: string;
  name?: string;
  argumentsDelta: string;
}

/**
 * Ends a successful stream, exactly once. `finishReason` is choice 0's; with `n` > 1,
 * `choiceFinishReasons[i]` holds each choice's.
 */
export interface FinishEvent {
  type: 'finish';
  finishReason: FinishReason;
  choiceFinishReasons?: FinishReason[];
  usage: Usage;
  providerMetadata?: Record<string, unknown>;
}

/** Ends a failed stream. `usage` holds whatever the provider had reported before the failure. */
export interface ErrorEvent {
  type: 'error';
  error: GatewayError;
  usage?: Usage;
}

/** One part of a chat stream in the canonical model. */
export type ChatEvent =
  | StreamStartEvent
  | TextDeltaEvent
  | ReasoningDeltaEvent
  | ToolCallDeltaEvent
  | FinishEvent
  | ErrorEvent;
