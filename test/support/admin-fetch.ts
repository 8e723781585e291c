import { testMasterKey } from './test-gateway.js';

/** Calls a real gateway's admin API (`/admin/v1` + path) with a key (the master key by default); answers status and JSON. */
export async function adminFetch<T = Record<string, unknown>>(baseUrl: string, method: string, path: string, body?: unknown, key = testMasterKey): Promise<{ status: number; body: T }> {
  const response = await fetch(`${baseUrl}/admin/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}
