import { GatewayError, type CallWarning, type ChatMessage, type ImagePart, type TextPart, type ToolCallPart } from '../../spec/index.js';
import { CacheControlPlacement } from './anthropic-cache-control.js';

/** An Anthropic content block as sent in `messages[].content`. */
export type AnthropicContentBlock = Record<string, unknown> & { type: string };

/** One Anthropic turn. Content is always a block array, so consecutive turns can be merged. */
export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: AnthropicContentBlock[];
}

/** The prompt in Anthropic's shape. */
export interface AnthropicPrompt {
  /**
   * The system messages' text joined with blank lines; undefined when there was none. When a client marked
   * a system part for prompt caching, one text block per part instead, so the marker has a block to sit on.
   */
  system?: string | AnthropicContentBlock[];
  messages: AnthropicMessage[];
  warnings: CallWarning[];
}

const dataUrlPattern = /^data:([^;,]+);base64,(.*)$/s;

/**
 * Converts canonical messages to Anthropic's: system messages go to the top-level `system`, tool results
 * become `tool_result` blocks in a user turn, and consecutive turns of the same role are merged because
 * Anthropic requires user and assistant turns to alternate.
 */
export function convertToAnthropicMessages(messages: ChatMessage[], cacheControl = new CacheControlPlacement([])): AnthropicPrompt {
  const systemMessages: Array<{ messageIndex: number; texts: string[] }> = [];
  const converted: AnthropicMessage[] = [];
  const warnings: CallWarning[] = [];
  // Tool call ids seen so far, so a result that answers no call fails here with a clear message.
  const toolNamesById = new Map<string, string>();

  const append = (role: 'user' | 'assistant', content: AnthropicContentBlock[]): void => {
    if (content.length === 0) return;
    const last = converted[converted.length - 1];
    if (last !== undefined && last.role === role) last.content.push(...content);
    else converted.push({ role, content });
  };

  messages.forEach((message, messageIndex) => {
    const param = `messages[${messageIndex}]`;
    switch (message.role) {
      case 'system':
        systemMessages.push({ messageIndex, texts: message.content.map((part) => part.text) });
        break;
      case 'user':
        append('user', message.content.map((part, partIndex) => cacheControl.markPart(convertUserPart(part, param), messageIndex, partIndex)));
        break;
      case 'assistant': {
        const blocks: AnthropicContentBlock[] = [];
        message.content.forEach((part, partIndex) => {
          if (part.type === 'text') {
            // Anthropic rejects empty text blocks; OpenAI clients send "" next to tool calls.
            if (part.text !== '') blocks.push(cacheControl.markPart({ type: 'text', text: part.text }, messageIndex, partIndex));
          } else if (part.type === 'tool-call') {
            toolNamesById.set(part.id, part.name);
            blocks.push(cacheControl.markPart({ type: 'tool_use', id: part.id, name: part.name, input: parseToolInput(part, param) }, messageIndex, partIndex));
          } else if (part.redactedData !== undefined) {
            blocks.push({ type: 'redacted_thinking', data: part.redactedData });
          } else if (part.signature !== undefined) {
            blocks.push({ type: 'thinking', thinking: part.text, signature: part.signature });
          } else {
            // Anthropic verifies echoed thinking by its signature; unsigned reasoning (from another
            // provider) would be rejected, so it is left out.
            warnings.push({ type: 'other', setting: 'reasoning', message: 'Reasoning without a signature was not sent to Anthropic' });
          }
        });
        append('assistant', blocks);
        break;
      }
      case 'tool':
        append(
          'user',
          message.content.map((result, partIndex) => {
            const toolName = toolNamesById.get(result.toolCallId);
            if (toolName === undefined) {
              throw new GatewayError('invalid_request', `Tool result for ${result.toolCallId} answers no earlier tool call`, { param });
            }
            if (result.toolName !== undefined && result.toolName !== toolName) {
              throw new GatewayError('invalid_request', `Tool result for ${result.toolCallId} names ${result.toolName}, but the call was to ${toolName}`, { param });
            }
            const block: AnthropicContentBlock = { type: 'tool_result', tool_use_id: result.toolCallId };
            if (result.content.length > 0) block.content = result.content.map((part) => convertUserPart(part, param));
            if (result.isError === true) block.is_error = true;
            return cacheControl.markPart(block, messageIndex, partIndex);
          }),
        );
        break;
    }
  });

  return { system: convertSystem(systemMessages, cacheControl), messages: converted, warnings };
}

function convertSystem(systemMessages: Array<{ messageIndex: number; texts: string[] }>, cacheControl: CacheControlPlacement): AnthropicPrompt['system'] {
  if (systemMessages.length === 0) return undefined;
  if (!systemMessages.some(({ messageIndex }) => cacheControl.marksMessage(messageIndex))) {
    return systemMessages.map(({ texts }) => texts.join('')).join('\n\n');
  }
  // Anthropic rejects empty text blocks; a marker on one is reported as not placed.
  return systemMessages.flatMap(({ messageIndex, texts }) =>
    texts.flatMap((text, partIndex) => (text === '' ? [] : [cacheControl.markPart<AnthropicContentBlock>({ type: 'text', text }, messageIndex, partIndex)])),
  );
}

function convertUserPart(part: TextPart | ImagePart, param: string): AnthropicContentBlock {
  if (part.type === 'text') return { type: 'text', text: part.text };
  return { type: 'image', source: imageSource(part, param) };
}

function imageSource(part: ImagePart, param: string): Record<string, unknown> {
  if (part.data !== undefined) {
    if (part.mediaType === undefined) throw new GatewayError('invalid_request', 'An inline image needs its media type', { param });
    return { type: 'base64', media_type: part.mediaType, data: part.data };
  }
  if (part.url === undefined) throw new GatewayError('invalid_request', 'An image needs a url or data', { param });
  // Anthropic's url source fetches over HTTP; data URLs must travel as base64 sources.
  const match = dataUrlPattern.exec(part.url);
  if (match !== null) return { type: 'base64', media_type: match[1], data: match[2] };
  return { type: 'url', url: part.url };
}

function parseToolInput(part: ToolCallPart, param: string): Record<string, unknown> {
  // Some clients send "" for a call without arguments.
  if (part.arguments.trim() === '') return {};
  let input: unknown;
  try {
    input = JSON.parse(part.arguments);
  } catch {
    throw new GatewayError('invalid_request', `The arguments of tool call ${part.id} are not valid JSON`, { param });
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new GatewayError('invalid_request', `The arguments of tool call ${part.id} must be a JSON object`, { param });
  }
  return input as Record<string, unknown>;
}
