import { GatewayError, type AssistantMessage, type ChatMessage, type ImagePart, type TextPart, type ToolMessage } from '../../spec/index.js';
import type { GeminiContent, GeminiRequestPart } from './gemini-wire.js';

/** The conversation in Gemini's shape: the turns, and the system instruction kept apart. */
export interface GeminiPrompt {
  contents: GeminiContent[];
  systemInstruction?: { parts: Array<{ text: string }> };
}

const dataUrlPattern = /^data:([^;,]+);base64,(.*)$/s;
const mediaTypeByExtension: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
};

/**
 * Converts canonical messages into Gemini `contents` plus `systemInstruction`. Assistant turns become role
 * `model`; tool results become `user` turns of `functionResponse` parts, named after the call they answer.
 * Consecutive turns of the same role are merged, because Gemini expects the answers to parallel calls in
 * one turn and otherwise alternating roles.
 */
export function convertToGeminiContents(messages: ChatMessage[]): GeminiPrompt {
  const systemParts: Array<{ text: string }> = [];
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>();
  const push = (role: GeminiContent['role'], parts: GeminiRequestPart[]) => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last !== undefined && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };
  messages.forEach((message, messageIndex) => {
    switch (message.role) {
      case 'system':
        for (const part of message.content) systemParts.push({ text: part.text });
        break;
      case 'user':
        push('user', message.content.map(convertUserPart));
        break;
      case 'assistant':
        push('model', convertAssistantMessage(message, messageIndex, toolNames));
        break;
      case 'tool':
        push('user', convertToolMessage(message, messageIndex, toolNames));
        break;
    }
  });
  return systemParts.length > 0 ? { contents, systemInstruction: { parts: systemParts } } : { contents };
}

function convertUserPart(part: TextPart | ImagePart): GeminiRequestPart {
  return part.type === 'text' ? { text: part.text } : convertImage(part);
}

/** An image: inline bytes (also from a `data:` URL) or a file URI Gemini fetches itself. */
export function convertImage(part: ImagePart): GeminiRequestPart {
  if (part.data !== undefined) return { inlineData: { mimeType: part.mediaType ?? 'image/png', data: part.data } };
  const url = part.url ?? '';
  const dataUrl = dataUrlPattern.exec(url);
  if (dataUrl !== null) return { inlineData: { mimeType: part.mediaType ?? dataUrl[1], data: dataUrl[2] } };
  const mimeType = part.mediaType ?? guessMediaType(url);
  return { fileData: mimeType === undefined ? { fileUri: url } : { fileUri: url, mimeType } };
}

function guessMediaType(url: string): string | undefined {
  const path = url.split(/[?#]/)[0];
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return extension === undefined ? undefined : mediaTypeByExtension[extension];
}

/**
 * An assistant turn. Reasoning text goes back as a `thought` part; its signature rides on the next part
 * of the turn (Gemini signs the part that follows its thinking, usually the function call), or on the
 * thought part itself when nothing follows.
 */
function convertAssistantMessage(message: AssistantMessage, messageIndex: number, toolNames: Map<string, string>): GeminiRequestPart[] {
  const parts: GeminiRequestPart[] = [];
  let pendingSignature: string | undefined;
  const attach = (part: GeminiRequestPart): GeminiRequestPart => {
    if (pendingSignature === undefined) return part;
    const signed = { ...part, thoughtSignature: pendingSignature } as GeminiRequestPart;
    pendingSignature = undefined;
    return signed;
  };
  for (const part of message.content) {
    if (part.type === 'reasoning') {
      if (part.text !== '') parts.push(attach({ text: part.text, thought: true }));
      if (part.signature !== undefined) pendingSignature = part.signature;
    } else if (part.type === 'text') {
      parts.push(attach({ text: part.text }));
    } else {
      toolNames.set(part.id, part.name);
      parts.push(attach({ functionCall: { id: part.id, name: part.name, args: parseArguments(part.arguments, messageIndex) } }));
    }
  }
  if (pendingSignature !== undefined) {
    const last = parts[parts.length - 1];
    if (last !== undefined && 'thought' in last && last.thought === true) last.thoughtSignature = pendingSignature;
    else parts.push({ text: '', thoughtSignature: pendingSignature });
  }
  return parts;
}

/** Gemini wants `args` as an object; the canonical model carries JSON text. */
function parseArguments(text: string, messageIndex: number): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new GatewayError('invalid_request', 'Tool call arguments are not valid JSON', { param: `messages[${messageIndex}]` });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new GatewayError('invalid_request', 'Tool call arguments must be a JSON object', { param: `messages[${messageIndex}]` });
  }
  return value as Record<string, unknown>;
}

/**
 * Tool results. Gemini's `response` must be an object: the text goes under `result` (parsed when it is a
 * JSON object), or under `error` for a failed call. Images in a result follow as inline parts.
 */
function convertToolMessage(message: ToolMessage, messageIndex: number, toolNames: Map<string, string>): GeminiRequestPart[] {
  const parts: GeminiRequestPart[] = [];
  for (const result of message.content) {
    const name = result.toolName ?? toolNames.get(result.toolCallId);
    if (name === undefined) {
      throw new GatewayError('invalid_request', `Tool result ${result.toolCallId} answers no earlier tool call`, {
        param: `messages[${messageIndex}]`,
      });
    }
    const text = result.content
      .filter((part): part is TextPart => part.type === 'text')
      .map((part) => part.text)
      .join('');
    const value = parseObject(text) ?? text;
    const response = result.isError === true ? { error: value } : { result: value };
    parts.push({ functionResponse: { id: result.toolCallId, name, response } });
    for (const part of result.content) if (part.type === 'image') parts.push(convertImage(part));
  }
  return parts;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
