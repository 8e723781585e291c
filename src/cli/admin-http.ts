import type { AdminConnection } from './admin-client.js';

/**
 * Calls of the governance admin API (`/admin/v1`) from the CLI: every method, JSON in and out, and an error
 * that carries the gateway's own message, so the user sees why a change was refused.
 */

/** Reads `--url` / `--key`, falling back to SWITCHYARD_URL and SWITCHYARD_ADMIN_KEY, then SWITCHYARD_MASTER_KEY. */
export function adminApiConnection(options: { url?: string; key?: string }, environment: NodeJS.ProcessEnv = process.env): AdminConnection {
  return {
    url: (options.url ?? environment.SWITCHYARD_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, ''),
    key: options.key ?? nonEmpty(environment.SWITCHYARD_ADMIN_KEY) ?? nonEmpty(environment.SWITCHYARD_MASTER_KEY),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** An admin API call that the gateway answered with an error status. */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly gatewayMessage: string,
  ) {
    super(`the gateway answered ${status}: ${gatewayMessage}`);
    this.name = 'AdminApiError';
  }
}

/** Query parameters; undefined values are left out. */
export type QueryValues = Record<string, string | number | undefined>;

/** Appends the defined query values to a path. */
export function withQuery(path: string, query: QueryValues = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) search.set(name, String(value));
  const text = search.toString();
  return text === '' ? path : `${path}?${text}`;
}

/** Sends one admin API request and returns the answer's JSON; a non-2xx answer is an {@link AdminApiError}. */
export async function adminRequest<T>(connection: AdminConnection, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  if (connection.key === undefined) throw new Error('no key: pass --key or set SWITCHYARD_ADMIN_KEY (or SWITCHYARD_MASTER_KEY)');
  const headers: Record<string, string> = { authorization: `Bearer ${connection.key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${connection.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new Error(`cannot reach the gateway at ${connection.url} (is it running? --url sets the address)`);
  }
  const text = await response.text();
  if (!response.ok) throw new AdminApiError(response.status, gatewayMessage(text, response.status));
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`the gateway answered ${response.status} with a body that is not JSON (is ${connection.url} a Switchyard gateway?)`);
  }
}

/** The `error.message` of an OpenAI-shaped error body, or the body itself. */
function gatewayMessage(text: string, status: number): string {
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    if (typeof message === 'string' && message !== '') return message;
  } catch {
    // not JSON: show it as it is
  }
  const trimmed = text.trim();
  return trimmed === '' ? `HTTP ${status}` : trimmed.slice(0, 500);
}

export function adminApiGet<T>(connection: AdminConnection, path: string, query?: QueryValues): Promise<T> {
  return adminRequest<T>(connection, 'GET', withQuery(path, query));
}

export function adminPost<T>(connection: AdminConnection, path: string, body: unknown = {}): Promise<T> {
  return adminRequest<T>(connection, 'POST', path, body);
}

export function adminPatch<T>(connection: AdminConnection, path: string, body: unknown): Promise<T> {
  return adminRequest<T>(connection, 'PATCH', path, body);
}

export function adminDelete<T>(connection: AdminConnection, path: string, query?: QueryValues): Promise<T> {
  return adminRequest<T>(connection, 'DELETE', withQuery(path, query));
}

/** GETs a list route and returns its `data`. */
export async function adminList<T>(connection: AdminConnection, path: string, query?: QueryValues): Promise<T[]> {
  return (await adminApiGet<{ data: T[] }>(connection, path, query)).data;
}
