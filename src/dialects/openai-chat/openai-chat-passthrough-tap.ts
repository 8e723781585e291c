import type { PassthroughTap } from '../dialect.js';

// A delta with non-empty text or reasoning, or a tool call fragment.
const contentPattern = /"(?:content|reasoning_content|reasoning)":"[^"]|"tool_calls":\[/;

/**
 * The fast path's tap over an OpenAI-shaped SSE stream. When the client asked for usage the upstream bytes go
 * out untouched and are only scanned; otherwise whole events are re-emitted without the usage chunk (which
 * the gateway asked for on the client's behalf). Only events that can carry usage, errors or a finish reason
 * are parsed, found with cheap substring checks.
 */
export class OpenAIChatPassthroughTap implements PassthroughTap {
  usageObject: Record<string, unknown> | undefined;
  errorObject: Record<string, unknown> | undefined;
  finishReason: string | undefined;
  sawContent = false;
  complete = false;
  contentChunks = 0;
  private pending = '';
  // One decoder per stream: a multi-byte character may straddle two chunks.
  private readonly decoder = new TextDecoder();

  constructor(private readonly includeUsage: boolean) {}

  transform(chunk: Uint8Array): Uint8Array | string {
    const text = this.pending + this.decoder.decode(chunk, { stream: true });
    const lastBreak = text.lastIndexOf('\n');
    if (lastBreak === -1) {
      this.pending = text;
      return this.includeUsage ? chunk : '';
    }
    this.pending = text.slice(lastBreak + 1);
    const complete = text.slice(0, lastBreak + 1);
    let output = '';
    let start = 0;
    while (start < complete.length) {
      const end = complete.indexOf('\n', start);
      const line = complete.slice(start, end + 1);
      start = end + 1;
      if (this.inspect(line)) {
        // Drop the blank line that ends the dropped event too.
        if (complete.startsWith('\n', start)) start += 1;
        else if (complete.startsWith('\r\n', start)) start += 2;
        continue;
      }
      if (!this.includeUsage) output += line;
    }
    return this.includeUsage ? chunk : output;
  }

  end(): string {
    const rest = this.pending + this.decoder.decode();
    this.pending = '';
    if (rest === '') return '';
    const drop = this.inspect(rest);
    return this.includeUsage || drop ? '' : rest;
  }

  /** Reads one line; returns true when the line must not reach the client. */
  private inspect(line: string): boolean {
    if (!line.startsWith('data:')) return false;
    const data = line.slice(line.startsWith('data: ') ? 6 : 5).trim();
    if (data === '[DONE]') {
      this.complete = true;
      return false;
    }
    if (contentPattern.test(data)) {
      this.sawContent = true;
      this.contentChunks++;
    }
    const hasUsage = data.includes('"usage":{');
    const hasError = data.startsWith('{"error"');
    const hasFinish = this.finishReason === undefined && data.includes('"finish_reason":"');
    if (!hasUsage && !hasError && !hasFinish) return false;
    let object: Record<string, unknown>;
    try {
      object = JSON.parse(data) as Record<string, unknown>;
    } catch {
      return false;
    }
    if (hasError) this.errorObject = object.error as Record<string, unknown>;
    if (hasFinish) {
      const choices = object.choices as Array<{ finish_reason?: unknown }> | undefined;
      const reason = choices?.find((choice) => typeof choice.finish_reason === 'string')?.finish_reason;
      if (typeof reason === 'string') {
        this.finishReason = reason;
        this.sawContent = true;
      }
    }
    if (hasUsage) {
      this.usageObject = object;
      const choices = object.choices as unknown[] | undefined;
      // The usage-only chunk (choices: []) exists because the gateway asked for it; the client did not.
      return !this.includeUsage && Array.isArray(choices) && choices.length === 0;
    }
    return false;
  }
}

/** Model and stream flags of a Chat Completions body, or undefined when it lacks even that shape. */
export function peekOpenAIChatRequest(body: unknown): { model: string; stream: boolean; includeUsage: boolean; maxOutputTokens?: number } | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const { model, messages, stream, stream_options: streamOptions, max_completion_tokens: maxCompletionTokens, max_tokens: maxTokens } = body as Record<string, unknown>;
  // The output bound, for a budget's worst case: the newer name wins, as in the full decode.
  const maxOutput = maxCompletionTokens ?? maxTokens;
  if (maxOutput !== undefined && maxOutput !== null && (typeof maxOutput !== 'number' || !Number.isInteger(maxOutput) || maxOutput < 1)) return undefined;
  if (typeof model !== 'string' || model === '' || !Array.isArray(messages) || messages.length === 0) return undefined;
  if (stream !== undefined && stream !== null && typeof stream !== 'boolean') return undefined;
  if (streamOptions !== undefined && streamOptions !== null && (typeof streamOptions !== 'object' || Array.isArray(streamOptions))) return undefined;
  const includeUsage = (streamOptions as { include_usage?: unknown } | null | undefined)?.include_usage;
  if (includeUsage !== undefined && typeof includeUsage !== 'boolean') return undefined;
  const peeked = { model, stream: stream === true, includeUsage: stream === true && includeUsage === true };
  return typeof maxOutput === 'number' ? { ...peeked, maxOutputTokens: maxOutput } : peeked;
}

const finishReasonPattern = /"finish_reason":\s*"([a-z_]+)"/;

/**
 * Usage and finish reason of a complete chat.completion body, found by key instead of parsing the whole
 * body (the fast path reads every response). A key inside a string value is escaped (`\"usage\"`), so a
 * match preceded by a backslash is skipped.
 */
export function summariseOpenAIChatResponse(body: string): { usageObject?: Record<string, unknown>; finishReason?: string; isObject: boolean } {
  const trimmed = body.trim();
  const isObject = trimmed.startsWith('{') && trimmed.endsWith('}');
  if (!isObject) return { isObject };
  const finishReason = finishReasonPattern.exec(trimmed)?.[1];
  let index = trimmed.lastIndexOf('"usage"');
  while (index > 0 && trimmed[index - 1] === '\\') index = trimmed.lastIndexOf('"usage"', index - 1);
  if (index <= 0) return { isObject, finishReason };
  const start = trimmed.indexOf('{', index);
  const colon = trimmed.indexOf(':', index);
  if (start === -1 || colon === -1 || trimmed.slice(colon + 1, start).trim() !== '') return { isObject, finishReason };
  const end = matchingBrace(trimmed, start);
  if (end === -1) return { isObject, finishReason };
  try {
    return { isObject, finishReason, usageObject: { usage: JSON.parse(trimmed.slice(start, end + 1)) } };
  } catch {
    return { isObject, finishReason };
  }
}

/** The index of the brace closing the object that opens at `start`, skipping strings. */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let index = start; index < text.length; index++) {
    const character = text.charCodeAt(index);
    if (inString) {
      if (character === 92) index++;
      else if (character === 34) inString = false;
    } else if (character === 34) inString = true;
    else if (character === 123) depth++;
    else if (character === 125 && --depth === 0) return index;
  }
  return -1;
}
