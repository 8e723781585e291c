/**
 * The text of an answer that went out on the fast path, read back from the provider's own bytes for the
 * observers (payload capture) after the request is done. Dialect-neutral on purpose: every supported wire puts
 * generated text and tool arguments under a handful of key names (`content` / `text` for text, `arguments` /
 * `partial_json` / `input` for tool calls, `thinking` / `reasoning_content` for reasoning), so one walk over the
 * JSON finds them without the core knowing which provider answered.
 */
const textKeys = new Set(['content', 'text', 'arguments', 'partial_json', 'thinking', 'reasoning_content']);
// Objects under these keys are tool-call arguments already parsed (a complete Anthropic `tool_use` block).
const objectKeys = new Set(['input']);
// Never text: the request's echo or metadata some wires repeat in the answer.
const skippedKeys = new Set(['usage', 'system_fingerprint', 'id', 'model', 'role', 'type', 'logprobs']);

/** The generated text and tool arguments of a complete JSON answer; '' when it is not JSON. */
export function textOfWireBody(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return '';
  }
  const parts: string[] = [];
  collect(parsed, parts);
  return parts.join('');
}

/** The generated text of a server-sent-event stream (its `data:` lines), chunks as they went out. */
export function textOfEventStream(chunks: ReadonlyArray<Uint8Array | string>): string {
  const decoder = new TextDecoder();
  let stream = '';
  for (const chunk of chunks) stream += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  stream += decoder.decode();
  const parts: string[] = [];
  for (const line of stream.split('\n')) {
    if (!line.startsWith('data:')) continue;
    const data = line.slice(5).trim();
    if (data === '' || data === '[DONE]') continue;
    try {
      collect(JSON.parse(data), parts);
    } catch {
      // A line that is not JSON carries no text we could name.
    }
  }
  return parts.join('');
}

function collect(value: unknown, parts: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, parts);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (skippedKeys.has(key)) continue;
    if (typeof child === 'string') {
      if (textKeys.has(key)) parts.push(child);
    } else if (objectKeys.has(key) && child !== null && typeof child === 'object' && !Array.isArray(child)) {
      // An empty object is a streamed tool call's placeholder: its arguments follow as deltas.
      if (Object.keys(child).length === 0) continue;
      parts.push(JSON.stringify(child));
    } else {
      collect(child, parts);
    }
  }
}
