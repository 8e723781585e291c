/** The admin API as the dashboard calls it: the credential from sessionStorage, sent as a Bearer token. */

const storageKey = 'switchyard.credential';

export function storedCredential(): string | undefined {
  return sessionStorage.getItem(storageKey) ?? undefined;
}

export function storeCredential(credential: string): void {
  sessionStorage.setItem(storageKey, credential);
}

export function forgetCredential(): void {
  sessionStorage.removeItem(storageKey);
}

/** An answer that was not a success: `status` 0 when the gateway could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }

  /** The endpoint is not there (not built yet on this gateway, or the route is off). */
  get unavailable(): boolean {
    return this.status === 404 && (this.code === 'not_found' || this.code === undefined) && /No route/i.test(this.message);
  }
}

export type Query = Record<string, string | number | undefined>;

function queryString(query: Query | undefined): string {
  if (query === undefined) return '';
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') parameters.set(name, String(value));
  }
  const text = parameters.toString();
  return text === '' ? '' : `?${text}`;
}

/** Calls the gateway with the stored credential (or the one given, to check it at login). */
export function apiGet<T>(path: string, query?: Query, credential = storedCredential()): Promise<T> {
  return apiCall<T>('GET', `${path}${queryString(query)}`, undefined, credential);
}

/**
 * Asks the gateway to change something (approve a remediation, roll back a model) with the stored credential.
 * A refusal comes back as an {@link ApiError} with the gateway's status (403: the credential may not act).
 */
export function apiPost<T>(path: string, body?: unknown): Promise<T> {
  return apiCall<T>('POST', path, body, storedCredential());
}

async function apiCall<T>(method: 'GET' | 'POST', url: string, body: unknown, credential: string | undefined): Promise<T> {
  const headers: Record<string, string> = credential === undefined ? {} : { authorization: `Bearer ${credential}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    throw new ApiError(0, `The gateway could not be reached: ${(error as Error).message}`);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = (parsed as { error?: { message?: string; code?: string } } | undefined)?.error;
    throw new ApiError(response.status, error?.message ?? `${response.status} ${response.statusText}`, error?.code ?? undefined);
  }
  return parsed as T;
}

/** A list answer of the admin API. */
export interface ListAnswer<T> {
  object: 'list';
  data: T[];
  nextCursor?: string;
}
