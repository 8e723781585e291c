import type { LedgerRow } from '../ledger-row.js';
import type { CapturedRequest, PayloadMode } from './payload-store.js';
import { redactJson, redactText } from './redactor.js';

/** Marks the end of a text cut at the size cap. */
export const truncationMarker = '…[truncated]';

const encoder = new TextEncoder();

/** The string entries of a body's `metadata` object (OpenAI's `metadata`, Anthropic's `metadata.user_id`). */
export function metadataOf(body: unknown): Record<string, string> {
  const metadata: Record<string, string> = {};
  if (body === null || typeof body !== 'object') return metadata;
  const value = (body as { metadata?: unknown }).metadata;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return metadata;
  let count = 0;
  for (const [name, entry] of Object.entries(value)) {
    // Bounded: OpenAI allows 16 pairs of at most 64-character names and 512-character values.
    if (count >= 32) break;
    if (typeof entry === 'string' || typeof entry === 'number' || typeof entry === 'boolean') {
      metadata[name.slice(0, 64)] = String(entry).slice(0, 512);
      count += 1;
    }
  }
  return metadata;
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes (marker included), never inside a character. */
export function capText(text: string, maxBytes: number): { text: string; bytes: number; truncated: boolean } {
  // Fast path: a UTF-16 string never takes more than 3 bytes a code unit.
  if (text.length * 3 <= maxBytes) return { text, bytes: byteLength(text), truncated: false };
  const bytes = byteLength(text);
  if (bytes <= maxBytes) return { text, bytes, truncated: false };
  const budget = Math.max(0, maxBytes - byteLength(truncationMarker));
  const encoded = encoder.encode(text).subarray(0, budget);
  // A cut inside a multi-byte character decodes to U+FFFD at the end; drop it.
  const kept = new TextDecoder().decode(encoded).replace(/\uFFFD$/, '');
  return { text: kept + truncationMarker, bytes, truncated: true };
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The prompt's text for the search index: message contents (strings and text parts), embedding inputs. */
function promptTextOf(body: unknown): { text: string; messages: number } {
  if (body === null || typeof body !== 'object') return { text: '', messages: 0 };
  const record = body as { messages?: unknown; input?: unknown; system?: unknown; prompt?: unknown };
  const parts: string[] = [];
  const collect = (content: unknown) => {
    if (typeof content === 'string') parts.push(content);
    else if (Array.isArray(content)) {
      for (const part of content) {
        if (typeof part === 'string') parts.push(part);
        else if (part !== null && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string') parts.push((part as { text: string }).text);
      }
    }
  };
  collect(record.system);
  collect(record.prompt);
  let messages = 0;
  if (Array.isArray(record.messages)) {
    messages = record.messages.length;
    for (const message of record.messages) {
      if (message !== null && typeof message === 'object') collect((message as { content?: unknown }).content);
    }
  }
  if (record.input !== undefined) {
    collect(record.input);
    if (messages === 0) messages = Array.isArray(record.input) ? record.input.length : 1;
  }
  return { text: parts.join('\n'), messages };
}

/**
 * Builds what is stored for one finished request in the given mode. Runs in the capture writer's flush, off
 * the response path: the JSON encoding, redaction and cutting happen there, not while the client waits.
 *
 * @param bodyText the JSON text `body` was parsed from, when the client's own text may be stored: it is kept
 *   as sent (no second encoding: ~20,000 instructions for the benchmark's 1 kB body); without it `body` is encoded
 */
export function captureRequest(row: LedgerRow, body: unknown, outputText: string, mode: PayloadMode, maxBytes: number, bodyText?: string): CapturedRequest {
  const metadata = metadataOf(body);
  const requestJson = body === undefined ? '' : (bodyText ?? JSON.stringify(body));
  const prompt = promptTextOf(body);
  const capture: CapturedRequest = {
    requestId: row.id,
    timestamp: row.timestamp,
    mode,
    metadata,
    requestBytes: 0,
    responseBytes: 0,
    messageCount: prompt.messages,
    truncated: false,
  };
  if (mode === 'metadata') {
    capture.requestBytes = byteLength(requestJson);
    capture.responseBytes = byteLength(outputText);
    return capture;
  }
  const redacted = mode === 'redacted';
  const storedJson = redacted && body !== undefined ? JSON.stringify(redactJson(body)) : requestJson;
  const storedOutput = redacted ? redactText(outputText) : outputText;
  const request = capText(storedJson, maxBytes);
  const response = capText(storedOutput, maxBytes);
  // In full mode the stored texts are the original ones, whose sizes capText has just measured.
  capture.requestBytes = redacted ? byteLength(requestJson) : request.bytes;
  capture.responseBytes = redacted ? byteLength(outputText) : response.bytes;
  if (body !== undefined) capture.requestText = request.text;
  capture.responseText = response.text;
  capture.truncated = request.truncated || response.truncated;
  const promptText = redacted ? redactText(prompt.text) : prompt.text;
  capture.searchText = capText(`${promptText}\n${response.text}`, maxBytes * 2).text;
  return capture;
}
