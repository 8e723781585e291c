import { parseJsonObject } from '../../kit/json-body.js';
import { GatewayError, type AssistantPart, type ChatChoice, type ChatResult, type CallWarning } from '../../spec/index.js';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js';
import { convertGeminiUsage } from './gemini-usage.js';
import { geminiResponseSchema, type GeminiCandidate, type GeminiPart, type GeminiResponse } from './gemini-wire.js';

/** Parses a response body (or one stream chunk's data) and validates its shape. */
export function parseGeminiResponse(providerName: string, text: string): GeminiResponse {
  const parsed = geminiResponseSchema.safeParse(parseJsonObject(providerName, text));
  if (!parsed.success) {
    throw new GatewayError('upstream_bad_response', `${providerName} returned a response that does not match the Gemini schema`);
  }
  return parsed.data;
}

/**
 * The id of a function call Gemini did not name. Stable (choice and position), so the same response always
 * yields the same ids; the converter sends tool results back by name anyway.
 */
export function functionCallId(choice: number, index: number): string {
  return choice === 0 ? `call_${index}` : `call_${choice}_${index}`;
}

/** The content_filtered error for a prompt Gemini refused to answer at all, or undefined. */
export function promptBlockedError(providerName: string, response: GeminiResponse): GatewayError | undefined {
  const blockReason = response.promptFeedback?.blockReason;
  if (blockReason === undefined || (response.candidates ?? []).length > 0) return undefined;
  return new GatewayError('content_filtered', `${providerName}: the prompt was blocked (${blockReason})`, {
    upstreamCode: blockReason,
  });
}

/**
 * Converts one candidate's parts. `thought` parts become reasoning; a signature on any other part becomes
 * an empty reasoning part just before it, so it survives the round trip (the converter puts it back).
 */
export function convertGeminiParts(parts: GeminiPart[], choice: number, firstCallIndex = 0): AssistantPart[] {
  const content: AssistantPart[] = [];
  let callIndex = firstCallIndex;
  for (const part of parts) {
    if (part.thought === true) {
      content.push({ type: 'reasoning', text: part.text ?? '', ...(part.thoughtSignature === undefined ? {} : { signature: part.thoughtSignature }) });
      continue;
    }
    if (part.thoughtSignature !== undefined) content.push({ type: 'reasoning', text: '', signature: part.thoughtSignature });
    if (part.functionCall !== undefined) {
      const call = part.functionCall;
      content.push({
        type: 'tool-call',
        id: call.id ?? functionCallId(choice, callIndex),
        name: call.name,
        arguments: JSON.stringify(call.args ?? {}),
      });
      callIndex++;
    } else if (part.text !== undefined) {
      content.push({ type: 'text', text: part.text });
    }
  }
  return mergeAdjacentText(content);
}

function mergeAdjacentText(content: AssistantPart[]): AssistantPart[] {
  const merged: AssistantPart[] = [];
  for (const part of content) {
    const last = merged[merged.length - 1];
    if (part.type === 'text' && last?.type === 'text') last.text += part.text;
    else merged.push(part.type === 'text' ? { ...part } : part);
  }
  return merged;
}

function convertCandidate(candidate: GeminiCandidate, position: number): ChatChoice {
  const index = candidate.index ?? position;
  const content = convertGeminiParts(candidate.content?.parts ?? [], index);
  const hasCalls = content.some((part) => part.type === 'tool-call');
  return { index, content, finishReason: mapGeminiFinishReason(candidate.finishReason, hasCalls) };
}

/** What Gemini reports besides content that a client or the ledger may want (safety ratings, grounding). */
export function geminiMetadata(response: GeminiResponse): Record<string, unknown> | undefined {
  const candidates = (response.candidates ?? []).map((candidate) => {
    const { content: _content, index: _index, finishReason: _finishReason, ...rest } = candidate;
    return rest;
  });
  const metadata: Record<string, unknown> = {};
  if (candidates.some((candidate) => Object.keys(candidate).length > 0)) metadata.candidates = candidates;
  if (response.promptFeedback !== undefined) metadata.promptFeedback = response.promptFeedback;
  return Object.keys(metadata).length > 0 ? { gemini: metadata } : undefined;
}

/** Converts a complete `GenerateContentResponse` into a ChatResult. */
export function convertGeminiResponse(providerName: string, response: GeminiResponse, warnings: CallWarning[]): ChatResult {
  const blocked = promptBlockedError(providerName, response);
  if (blocked !== undefined) throw blocked;
  const candidates = response.candidates ?? [];
  if (candidates.length === 0) throw new GatewayError('upstream_bad_response', `${providerName} returned no candidates`);
  const choices = candidates.map(convertCandidate).sort((left, right) => left.index - right.index);
  const result: ChatResult = {
    choices,
    usage: convertGeminiUsage(response.usageMetadata),
    warnings,
  };
  if (response.responseId !== undefined) result.id = response.responseId;
  if (response.modelVersion !== undefined) result.model = response.modelVersion;
  const metadata = geminiMetadata(response);
  if (metadata !== undefined) result.providerMetadata = metadata;
  return result;
}
