import type { AdminConnection } from './admin-client.js';
import { AdminApiError } from './admin-http.js';

/**
 * POSTs to an admin API route that answers with NDJSON (one JSON object per line, e.g. a model pull's
 * progress) and hands each line to `onLine` as it arrives. An error status before the stream is an
 * {@link AdminApiError} carrying the gateway's message.
 */
export async function adminPostStream(connection: AdminConnection, path: string, body: unknown, onLine: (line: Record<string, unknown>) => void): Promise<void> {
  if (connection.key === undefined) throw new Error('no key: pass --key or set SWITCHYARD_ADMIN_KEY (or SWITCHYARD_MASTER_KEY)');
  let response: Response;
  try {
    response = await fetch(`${connection.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${connection.key}`, 'content-type': 'application/json', accept: 'application/x-ndjson' },
      body: JSON.stringify(body),
    });
  } catch {
    throw new Error(`cannot reach the gateway at ${connection.url} (is it running? --url sets the address)`);
  }
  if (!response.ok || response.body === null) {
    const text = await response.text();
    let message = text.trim() === '' ? `HTTP ${response.status}` : text.trim().slice(0, 500);
    try {
      const parsed = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
      if (typeof parsed === 'string' && parsed !== '') message = parsed;
    } catch {
      // not JSON: show it as it is
    }
    throw new AdminApiError(response.status, message);
  }
  const decoder = new TextDecoder();
  let buffer = '';
  const emit = (text: string) => {
    const line = text.trim();
    if (line === '') return;
    try {
      onLine(JSON.parse(line) as Record<string, unknown>);
    } catch (error) {
      if (error instanceof SyntaxError) throw new Error(`the gateway sent a progress line that is not JSON: ${line.slice(0, 200)}`);
      throw error;
    }
  };
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let newline = buffer.indexOf('\n'); newline !== -1; newline = buffer.indexOf('\n')) {
        emit(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
      }
    }
  } catch (error) {
    if (error instanceof TypeError) throw new Error(`the connection to the gateway at ${connection.url} broke during the stream`);
    throw error;
  }
  emit(buffer + decoder.decode());
}
