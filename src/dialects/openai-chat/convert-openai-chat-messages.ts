import { GatewayError } from '../../spec/index.js';
import type { AssistantPart, ChatMessage, ImagePart, TextPart } from '../../spec/index.js';
import type { OpenAIChatMessageBody, OpenAIUserPartBody } from './openai-chat-request-schema.js';

const dataUrlPattern = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s;

/** An image_url part: `data:` URLs become inline base64 so providers without URL support can take them. */
export function convertImageUrl(url: string, detail: ImagePart['detail']): ImagePart {
  const match = dataUrlPattern.exec(url);
  const part: ImagePart = match ? { type: 'image', data: match[2], mediaType: match[1] } : { type: 'image', url };
  if (detail !== undefined) part.detail = detail;
  return part;
}

function convertUserPart(part: OpenAIUserPartBody, path: string): TextPart | ImagePart {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'image_url':
      return convertImageUrl(part.image_url.url, part.image_url.detail);
    default:
      throw new GatewayError('unsupported_parameter', `${path}: content parts of type ${part.type} are not supported`, { param: path });
  }
}

function textParts(content: string | Array<{ text: string }>): TextPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part) => ({ type: 'text', text: part.text }));
}

/**
 * Converts OpenAI chat messages to canonical ones. `developer` becomes `system`; the legacy `function` role
 * becomes a tool result whose call id is the function name (as the legacy assistant `function_call` gets).
 */
export function convertOpenAIChatMessages(messages: OpenAIChatMessageBody[]): ChatMessage[] {
  const toolNames = new Map<string, string>();
  return messages.map((message, index): ChatMessage => {
    const path = `messages[${index}]`;
    switch (message.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: textParts(message.content) };
      case 'user': {
        const content =
          typeof message.content === 'string'
            ? [{ type: 'text' as const, text: message.content }]
            : message.content.map((part, partIndex) => convertUserPart(part, `${path}.content[${partIndex}]`));
        return message.name === undefined ? { role: 'user', content } : { role: 'user', content, name: message.name };
      }
      case 'assistant': {
        const content: AssistantPart[] = [];
        if (typeof message.reasoning_content === 'string' && message.reasoning_content !== '') {
          content.push({ type: 'reasoning', text: message.reasoning_content });
        }
        if (typeof message.content === 'string') {
          if (message.content !== '') content.push({ type: 'text', text: message.content });
        } else if (Array.isArray(message.content)) {
          for (const part of message.content) {
            content.push({ type: 'text', text: part.type === 'text' ? part.text : part.refusal });
          }
        }
        for (const call of message.tool_calls ?? []) {
          toolNames.set(call.id, call.function.name);
          content.push({ type: 'tool-call', id: call.id, name: call.function.name, arguments: call.function.arguments });
        }
        if (message.function_call) {
          const call = message.function_call;
          toolNames.set(call.name, call.name);
          content.push({ type: 'tool-call', id: call.name, name: call.name, arguments: call.arguments });
        }
        return message.name === undefined ? { role: 'assistant', content } : { role: 'assistant', content, name: message.name };
      }
      case 'tool': {
        const toolName = toolNames.get(message.tool_call_id);
        return {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: message.tool_call_id,
              ...(toolName === undefined ? {} : { toolName }),
              content: textParts(message.content),
            },
          ],
        };
      }
      case 'function':
        return {
          role: 'tool',
          content: [{ type: 'tool-result', toolCallId: message.name, toolName: message.name, content: textParts(message.content ?? '') }],
        };
    }
  });
}
