/** Plain text. */
export interface TextPart {
  type: 'text';
  text: string;
}

/**
 * An image, either by URL or inline as base64 `data` with its media type.
 * `detail` is OpenAI's resolution hint; providers without one ignore it.
 */
export interface ImagePart {
  type: 'image';
  url?: string;
  data?: string;
  mediaType?: string;
  detail?: 'auto' | 'low' | 'high';
}

/** A call the assistant made to a client-side tool. `arguments` is the JSON text of the input. */
export interface ToolCallPart {
  type: 'tool-call';
  id: string;
  name: string;
  arguments: string;
}

/** Hidden reasoning the assistant produced; `signature` lets providers verify it when echoed back. */
export interface ReasoningPart {
  type: 'reasoning';
  text: string;
  signature?: string;
  /** Opaque, provider-encrypted reasoning (Anthropic `redacted_thinking`). */
  redactedData?: string;
}

/** The result of a tool call, answering the `tool-call` with the same id. */
export interface ToolResultPart {
  type: 'tool-result';
  toolCallId: string;
  /** The tool's name when known (Gemini needs it; converters look it up from the call otherwise). */
  toolName?: string;
  content: Array<TextPart | ImagePart>;
  isError?: boolean;
}

/** System instructions. Several may appear; providers with one system slot join them. */
export interface SystemMessage {
  role: 'system';
  content: TextPart[];
}

export interface UserMessage {
  role: 'user';
  content: Array<TextPart | ImagePart>;
  name?: string;
}

export interface AssistantMessage {
  role: 'assistant';
  content: Array<TextPart | ToolCallPart | ReasoningPart>;
  name?: string;
}

/** Results of tool calls, sent back by the client. */
export interface ToolMessage {
  role: 'tool';
  content: ToolResultPart[];
}

/** One turn of the conversation in the canonical model. */
export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

/** The parts an assistant turn can contain (also what a result's choice holds). */
export type AssistantPart = AssistantMessage['content'][number];
