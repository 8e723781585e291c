import { GatewayError } from '../spec/index.js';
import type { UpstreamBody } from '../spec/index.js';

/**
 * Reads an upstream body as JSON. Anything that is not a JSON object becomes `upstream_bad_response`, naming
 * the provider, so garbage from upstream never crashes the gateway.
 */
export async function readJsonObject(providerName: string, body: UpstreamBody): Promise<Record<string, unknown>> {
  const text = await body.text();
  return parseJsonObject(providerName, text);
}

/** Parses text that must be a JSON object, or throws `upstream_bad_response`. */
export function parseJsonObject(providerName: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new GatewayError('upstream_bad_response', `${providerName} returned a body that is not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new GatewayError('upstream_bad_response', `${providerName} returned JSON that is not an object`);
  }
  return value as Record<string, unknown>;
}

/** Reads an error body as text, tolerating anything (errors must never throw while being reported). */
export async function readErrorText(body: UpstreamBody): Promise<string> {
  try {
    return await body.text();
  } catch {
    return '';
  }
}
