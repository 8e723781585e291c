import { GatewayError } from '../../spec/index.js';
import type { AssistantPart, ChatMessage, ImagePart, TextPart, ToolResultPart } from '../../spec/index.js';
import type { AnthropicContentBlockBody, AnthropicMessageBody, AnthropicMessagesRequestBody } from './anthropic-messages-request-schema.js';

/**
 * Where a client put a `cache_control` marker, in canonical coordinates: the canonical model has no slot
 * for it, so it travels in `providerOptions.anthropic.cacheControl` and the Anthropic adapter puts it back
 * on the block it converts from `request.messages[messageIndex].content[partIndex]` (or `request.tools[toolIndex]`).
 */
export type AnthropicCacheControlMarker =
  | { target: 'message'; messageIndex: number; partIndex: number; cacheControl: Record<string, unknown> }
  | { target: 'tool'; toolIndex: number; cacheControl: Record<string, unknown> };

type Block = AnthropicContentBlockBody;
type UserBlock = Extract<Block, { type: 'text' | 'image' }>;

function convertImage(block: Extract<Block, { type: 'image' }>): ImagePart {
  const source = block.source;
  return source.type === 'base64' ? { type: 'image', data: source.data, mediaType: source.media_type } : { type: 'image', url: source.url };
}

function convertUserBlock(block: UserBlock): TextPart | ImagePart {
  return block.type === 'text' ? { type: 'text', text: block.text } : convertImage(block);
}

function unsupported(path: string, type: string): GatewayError {
  return new GatewayError('unsupported_parameter', `${path}.type: content blocks of type ${type} are not supported by this gateway`, { param: `${path}.type` });
}

function misplaced(path: string, type: string, role: string): GatewayError {
  return new GatewayError('invalid_request', `${path}.type: a ${type} block cannot appear in ${role} messages`, { param: `${path}.type` });
}

/** Converts Anthropic system + messages to canonical messages, collecting cache_control markers. */
export class AnthropicMessageConverter {
  readonly messages: ChatMessage[] = [];
  readonly cacheControl: AnthropicCacheControlMarker[] = [];
  private readonly toolNames = new Map<string, string>();

  convert(body: AnthropicMessagesRequestBody): this {
    this.convertSystem(body.system);
    body.messages.forEach((message, index) => {
      if (message.role === 'user') this.convertUser(message, `messages[${index}]`);
      else this.convertAssistant(message, `messages[${index}]`);
    });
    return this;
  }

  private mark(block: { cache_control?: unknown }, partIndex: number): void {
    if (block.cache_control != null && typeof block.cache_control === 'object') {
      this.cacheControl.push({ target: 'message', messageIndex: this.messages.length, partIndex, cacheControl: block.cache_control as Record<string, unknown> });
    }
  }

  private convertSystem(system: AnthropicMessagesRequestBody['system']): void {
    if (system === undefined) return;
    if (typeof system === 'string') {
      this.messages.push({ role: 'system', content: [{ type: 'text', text: system }] });
      return;
    }
    if (system.length === 0) return;
    system.forEach((block, partIndex) => this.mark(block, partIndex));
    this.messages.push({ role: 'system', content: system.map((block) => ({ type: 'text', text: block.text })) });
  }

  /** A user turn that mixes tool results and other content becomes a tool message and a user message, in order. */
  private convertUser(message: AnthropicMessageBody, path: string): void {
    if (typeof message.content === 'string') {
      this.messages.push({ role: 'user', content: [{ type: 'text', text: message.content }] });
      return;
    }
    let userParts: Array<TextPart | ImagePart> = [];
    let toolParts: ToolResultPart[] = [];
    const flush = (): void => {
      if (toolParts.length > 0) this.messages.push({ role: 'tool', content: toolParts });
      if (userParts.length > 0) this.messages.push({ role: 'user', content: userParts });
      toolParts = [];
      userParts = [];
    };
    message.content.forEach((block, index) => {
      const blockPath = `${path}.content[${index}]`;
      if (block.type === 'tool_result') {
        if (userParts.length > 0) flush();
        this.mark(block, toolParts.length);
        toolParts.push(this.convertToolResult(block));
      } else if (block.type === 'text' || block.type === 'image') {
        if (toolParts.length > 0) {
          this.messages.push({ role: 'tool', content: toolParts });
          toolParts = [];
        }
        this.mark(block, userParts.length);
        userParts.push(convertUserBlock(block));
      } else if (block.type === 'tool_use' || block.type === 'thinking' || block.type === 'redacted_thinking') {
        throw misplaced(blockPath, block.type, 'user');
      } else {
        throw unsupported(blockPath, block.type);
      }
    });
    flush();
  }

  private convertToolResult(block: Extract<Block, { type: 'tool_result' }>): ToolResultPart {
    const content =
      block.content === undefined ? [] : typeof block.content === 'string' ? [{ type: 'text' as const, text: block.content }] : block.content.map(convertUserBlock);
    const part: ToolResultPart = { type: 'tool-result', toolCallId: block.tool_use_id, content };
    const toolName = this.toolNames.get(block.tool_use_id);
    if (toolName !== undefined) part.toolName = toolName;
    if (block.is_error !== undefined) part.isError = block.is_error;
    return part;
  }

  private convertAssistant(message: AnthropicMessageBody, path: string): void {
    if (typeof message.content === 'string') {
      this.messages.push({ role: 'assistant', content: [{ type: 'text', text: message.content }] });
      return;
    }
    const content: AssistantPart[] = [];
    message.content.forEach((block, index) => {
      const blockPath = `${path}.content[${index}]`;
      switch (block.type) {
        case 'text':
          this.mark(block, content.length);
          content.push({ type: 'text', text: block.text });
          break;
        case 'tool_use':
          this.mark(block, content.length);
          this.toolNames.set(block.id, block.name);
          content.push({ type: 'tool-call', id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) });
          break;
        case 'thinking':
          content.push(block.signature === undefined ? { type: 'reasoning', text: block.thinking } : { type: 'reasoning', text: block.thinking, signature: block.signature });
          break;
        case 'redacted_thinking':
          content.push({ type: 'reasoning', text: '', redactedData: block.data });
          break;
        case 'image':
        case 'tool_result':
          throw misplaced(blockPath, block.type, 'assistant');
        default:
          throw unsupported(blockPath, block.type);
      }
    });
    this.messages.push({ role: 'assistant', content });
  }
}
