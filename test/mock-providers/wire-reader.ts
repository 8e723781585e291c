/**
 * Test helpers that read a mock's raw wire output (SSE frames, NDJSON lines), so tests can check each
 * frame against the published schemas, independently of any SDK.
 */

export interface SseFrame {
  event?: string;
  data: string;
}

/** Splits an SSE body into frames (blank-line separated; `event:` and `data:` lines). */
export function parseSse(text: string): SseFrame[] {
  const frames: SseFrame[] = [];
  for (const block of text.split(/\r\n\r\n|\n\n|\r\r/)) {
    if (block.trim() === '') continue;
    const frame: SseFrame = { data: '' };
    const dataLines: string[] = [];
    for (const line of block.split(/\r\n|\n|\r/)) {
      if (line.startsWith('event:')) frame.event = line.slice(6).trim();
      else if (line.startsWith('data:')) dataLines.push(line.slice(5).replace(/^ /, ''));
    }
    frame.data = dataLines.join('\n');
    frames.push(frame);
  }
  return frames;
}

/** Splits an NDJSON body into parsed lines. */
export function parseNdjson(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}

/** POSTs JSON and returns status, headers and the whole body text. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}
