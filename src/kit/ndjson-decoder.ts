/**
 * Decodes newline-delimited JSON (Ollama's stream format) into parsed values. A line that is not JSON
 * throws a SyntaxError carrying the line, so the adapter can turn it into `upstream_bad_response`.
 */
export async function* decodeNdjson(body: AsyncIterable<Uint8Array>): AsyncGenerator<unknown> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line !== '') yield JSON.parse(line);
      newline = buffer.indexOf('\n');
    }
  }
  buffer += decoder.decode();
  const rest = buffer.trim();
  if (rest !== '') yield JSON.parse(rest);
}
