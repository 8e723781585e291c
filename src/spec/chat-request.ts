import type { ChatMessage } from './chat-message.js';

/** A function the model may call. `parameters` is a JSON Schema object. */
export interface ToolDefinition {
  name: string;
  description?: string;
  parameters: Record<string, unknown>;
  strict?: boolean;
}

/** How the model may use the tools. */
export type ToolChoice = { type: 'auto' } | { type: 'none' } | { type: 'required' } | { type: 'tool'; name: string };

/** The shape the answer must take. */
export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json' }
  | { type: 'json-schema'; name: string; schema: Record<string, unknown>; strict?: boolean; description?: string };

/**
 * A chat request in the canonical model: what every dialect decodes into and every provider adapter
 * encodes from. Optional settings that are `undefined` were not asked for.
 */
export interface ChatRequest {
  /** The model as the upstream knows it (after routing), e.g. `gpt-4o-mini`. */
  model: string;
  messages: ChatMessage[];
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  stopSequences?: string[];
  seed?: number;
  /** Number of choices to generate. */
  n?: number;
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  responseFormat?: ResponseFormat;
  reasoningEffort?: 'minimal' | 'low' | 'medium' | 'high';
  /** Reasoning budget in tokens (Anthropic `thinking.budget_tokens`, Gemini `thinkingBudget`). */
  reasoningBudgetTokens?: number;
  /** End-user id for the provider's abuse tracking. */
  user?: string;
  metadata?: Record<string, string>;
  /**
   * Provider-specific knobs, keyed by provider kind (`providerOptions.anthropic.thinking`, ...). An adapter
   * reads only its own key.
   */
  providerOptions?: Record<string, Record<string, unknown>>;
  /**
   * Fields the client sent that the canonical model does not know. Adapters whose wire accepts them
   * (OpenAI-shaped ones) pass them on; others return an `unsupported-setting` warning for each.
   */
  extraBody?: Record<string, unknown>;
}
