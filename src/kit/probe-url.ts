import { request } from 'undici';

/** True when `url` answers an HTTP GET at all within `timeoutMs` (used to find a local Ollama). */
export async function probeUrl(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await request(url, { method: 'GET', signal: AbortSignal.timeout(timeoutMs), headersTimeout: timeoutMs });
    await response.body.dump();
    return true;
  } catch {
    return false;
  }
}
