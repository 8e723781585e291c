import { GatewayError, type ChatMessage, type ImagePart, type TextPart } from '../../spec/index.js';

/** A tool call in an Ollama request message: no id, arguments as a JSON object. */
export interface OllamaRequestToolCall {
  function: { name: string; arguments: Record<string, unknown> };
}

/** One message of an Ollama `/api/chat` request. */
export interface OllamaMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  images?: string[];
  thinking?: string;
  tool_calls?: OllamaRequestToolCall[];
  tool_name?: string;
}

/**
 * Converts canonical messages to Ollama's. Text parts are joined with a newline (Ollama has one string per
 * message); images must be inline base64, so a `data:` URL is decoded and any other URL is refused, since
 * Ollama would not fetch it and silently dropping a picture changes the answer.
 */
export function convertToOllamaMessages(messages: ChatMessage[]): OllamaMessage[] {
  const toolNames = new Map<string, string>();
  const converted: OllamaMessage[] = [];
  messages.forEach((message, messageIndex) => {
    switch (message.role) {
      case 'system':
        converted.push({ role: 'system', content: joinText(message.content) });
        break;
      case 'user': {
        const images = imagesOf(message.content, `messages[${messageIndex}]`);
        converted.push({ role: 'user', content: joinText(message.content), ...(images.length > 0 ? { images } : {}) });
        break;
      }
      case 'assistant': {
        const text: string[] = [];
        const thinking: string[] = [];
        const toolCalls: OllamaRequestToolCall[] = [];
        for (const part of message.content) {
          if (part.type === 'text') text.push(part.text);
          else if (part.type === 'reasoning') {
            // Encrypted reasoning from another provider means nothing to a local model.
            if (part.text !== '') thinking.push(part.text);
          } else {
            toolNames.set(part.id, part.name);
            toolCalls.push({ function: { name: part.name, arguments: parseArguments(part.arguments, `messages[${messageIndex}]`) } });
          }
        }
        converted.push({
          role: 'assistant',
          content: text.join('\n'),
          ...(thinking.length > 0 ? { thinking: thinking.join('\n') } : {}),
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        });
        break;
      }
      case 'tool':
        for (const result of message.content) {
          const images = imagesOf(result.content, `messages[${messageIndex}]`);
          const toolName = result.toolName ?? toolNames.get(result.toolCallId);
          converted.push({
            role: 'tool',
            content: joinText(result.content),
            ...(images.length > 0 ? { images } : {}),
            ...(toolName !== undefined ? { tool_name: toolName } : {}),
          });
        }
        break;
    }
  });
  return converted;
}

function joinText(parts: Array<TextPart | ImagePart>): string {
  return parts
    .filter((part): part is TextPart => part.type === 'text')
    .map((part) => part.text)
    .join('\n');
}

function imagesOf(parts: Array<TextPart | ImagePart>, param: string): string[] {
  return parts.filter((part): part is ImagePart => part.type === 'image').map((part) => imageBase64(part, param));
}

const dataUrlPattern = /^data:([^,]*?)(;base64)?,(.*)$/s;

/** The base64 bytes of an image part. */
export function imageBase64(part: ImagePart, param: string): string {
  if (part.data !== undefined) return part.data;
  const url = part.url ?? '';
  const match = dataUrlPattern.exec(url);
  if (match === null) {
    throw new GatewayError(
      'unsupported_parameter',
      'Ollama accepts only inline (base64 or data: URL) images, not image URLs',
      { param },
    );
  }
  const payload = match[3];
  // A data: URL without ;base64 carries percent-encoded bytes.
  return match[2] !== undefined ? payload : percentDecode(payload).toString('base64');
}

function percentDecode(text: string): Buffer {
  const bytes: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const hex = text.slice(index + 1, index + 3);
    if (text[index] === '%' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      index += 2;
    } else {
      bytes.push(...Buffer.from(text[index], 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** Ollama wants tool-call arguments as an object, the canonical model keeps them as JSON text. */
function parseArguments(text: string, param: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new GatewayError('invalid_request', 'A tool call\'s arguments are not valid JSON', { param });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new GatewayError('invalid_request', 'A tool call\'s arguments must be a JSON object', { param });
  }
  return value as Record<string, unknown>;
}
