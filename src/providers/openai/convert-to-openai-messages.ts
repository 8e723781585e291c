import type { CallWarning, ChatMessage, ImagePart, TextPart, ToolResultPart } from '../../spec/index.js';

type JsonObject = Record<string, unknown>;

/** An image part as OpenAI's `image_url`; inline data travels as a `data:` URL. */
export function toOpenAIImagePart(part: ImagePart): JsonObject {
  const url = part.data !== undefined ? `data:${part.mediaType ?? 'image/png'};base64,${part.data}` : (part.url ?? '');
  return { type: 'image_url', image_url: part.detail === undefined ? { url } : { url, detail: part.detail } };
}

/** One text part is sent as a plain string (what every OpenAI-compatible server accepts); several as an array. */
function textContent(parts: TextPart[]): string | JsonObject[] {
  if (parts.length === 1) return parts[0].text;
  return parts.map((part) => ({ type: 'text', text: part.text }));
}

function userContent(parts: Array<TextPart | ImagePart>): string | JsonObject[] {
  if (parts.length === 1 && parts[0].type === 'text') return parts[0].text;
  return parts.map((part) => (part.type === 'text' ? { type: 'text', text: part.text } : toOpenAIImagePart(part)));
}

function toolMessage(result: ToolResultPart, warnings: CallWarning[]): JsonObject {
  const texts: TextPart[] = [];
  for (const part of result.content) {
    if (part.type === 'text') texts.push(part);
    else {
      // Chat Completions tool messages take text only.
      warnings.push({ type: 'unsupported-setting', setting: 'tool-result.image', message: `an image in the result of tool call ${result.toolCallId} was dropped: tool messages take text only` });
    }
  }
  return { role: 'tool', tool_call_id: result.toolCallId, content: texts.length === 0 ? '' : textContent(texts) };
}

/**
 * Converts canonical messages to Chat Completions messages. Each tool result becomes its own `tool`
 * message; reasoning parts are dropped because Chat Completions takes no reasoning back.
 */
export function convertToOpenAIMessages(messages: ChatMessage[], warnings: CallWarning[]): JsonObject[] {
  const converted: JsonObject[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        converted.push({ role: 'system', content: textContent(message.content) });
        break;
      case 'user':
        converted.push({ role: 'user', content: userContent(message.content), ...(message.name !== undefined ? { name: message.name } : {}) });
        break;
      case 'assistant': {
        let text: string | null = null;
        const toolCalls: JsonObject[] = [];
        for (const part of message.content) {
          if (part.type === 'text') text = (text ?? '') + part.text;
          else if (part.type === 'tool-call') toolCalls.push({ id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments } });
        }
        const assistant: JsonObject = { role: 'assistant', content: text };
        if (toolCalls.length > 0) assistant.tool_calls = toolCalls;
        if (message.name !== undefined) assistant.name = message.name;
        converted.push(assistant);
        break;
      }
      case 'tool':
        for (const result of message.content) converted.push(toolMessage(result, warnings));
        break;
    }
  }
  return converted;
}
