import { GatewayError, type UpstreamResponse } from '../../spec/index.js';
import { readErrorText } from '../../kit/json-body.js';
import { looksLikeContextOverflow, upstreamStatusError } from '../../kit/upstream-status-error.js';
import { ollamaErrorMessage } from './ollama-wire.js';

/**
 * Turns an Ollama HTTP error (`{"error":"message"}` with 400, 404, 429, 500, 502...) into a GatewayError.
 * The message comes from the body only, so credentials never end up in it; a body that is not Ollama's
 * shape is summarised by its status.
 */
export async function ollamaStatusError(providerName: string, response: UpstreamResponse): Promise<GatewayError> {
  const text = await readErrorText(response.body);
  let message: string | undefined;
  try {
    message = ollamaErrorMessage(JSON.parse(text));
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): fall through to the status line.
  }
  return upstreamStatusError(providerName, response.status, response.headers, {
    message: message ?? (text.trim() !== '' && text.length <= 200 ? text.trim() : `HTTP ${response.status}`),
  });
}

/**
 * An `{"error":"..."}` line in the middle of a 200 stream: the model runner failed after it started
 * answering (out of memory, a crashed runner, a prompt too long for the context).
 */
export function ollamaStreamLineError(providerName: string, message: string): GatewayError {
  if (looksLikeContextOverflow(message)) {
    return new GatewayError('context_length_exceeded', `${providerName}: ${message}`);
  }
  return new GatewayError('upstream_error', `${providerName}: ${message}`);
}
