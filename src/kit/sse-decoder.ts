/** One server-sent event. `event` is undefined when the stream sent only `data:` lines. */
export interface ServerSentEvent {
  event?: string;
  data: string;
  id?: string;
}

const decoderOptions = { stream: true } as const;

/**
 * Decodes a byte stream into server-sent events (WHATWG rules: `\n`, `\r\n` or `\r` line ends, multi-line
 * data joined with `\n`, comments and events without data skipped). Chunk boundaries may fall anywhere,
 * even inside a UTF-8 sequence.
 */
export async function* decodeServerSentEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event: string | undefined;
  let id: string | undefined;
  let data: string[] = [];
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, decoderOptions);
    let start = 0;
    for (;;) {
      const newline = findLineEnd(buffer, start);
      if (newline === -1) break;
      const line = buffer.slice(start, newline);
      start = newline + (buffer[newline] === '\r' && buffer[newline + 1] === '\n' ? 2 : 1);
      if (line === '') {
        if (data.length > 0) yield { event, data: data.join('\n'), id };
        event = undefined;
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') data.push(value);
      else if (field === 'event') event = value;
      else if (field === 'id') id = value;
    }
    // A lone '\r' at the very end may be the first half of '\r\n': keep it for the next chunk.
    buffer = buffer.slice(start);
  }
  buffer += decoder.decode();
  if (buffer.length > 0) {
    const line = buffer.endsWith('\r') ? buffer.slice(0, -1) : buffer;
    if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (data.length > 0) yield { event, data: data.join('\n'), id };
}

function findLineEnd(buffer: string, from: number): number {
  for (let index = from; index < buffer.length; index++) {
    const code = buffer.charCodeAt(index);
    if (code === 10) return index;
    if (code === 13) return index + 1 < buffer.length ? index : -1;
  }
  return -1;
}
