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

/** The finish reason of a complete chat.completion body (choice 0). */
export function openaiChatFinishReasonOf(body: Record<string, unknown>): string | undefined {
  const choices = body.choices as Array<{ finish_reason?: unknown }> | undefined;
  const reason = choices?.[0]?.finish_reason;
  return typeof reason === 'string' ? reason : undefined;
}
