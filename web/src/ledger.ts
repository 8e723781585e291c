import { apiGet, ApiError, type ListAnswer, type Query } from './api.js';

/** A usage ledger row, as the server types it (type-only import: nothing of the server is bundled). */
export type { LedgerRow } from '../../src/observatory/ledger-row.js';
import type { LedgerRow } from '../../src/observatory/ledger-row.js';

/** `GET /admin/v1/requests/{id}`. */
export interface RequestDetail {
  row: LedgerRow;
  payload?: { mode: 'full' | 'redacted' | 'metadata'; request?: unknown; response?: { text: string } };
}

/** The filters the explorer's own endpoint understands; the older `/admin/requests` only some of them. */
const legacyNames: Record<string, string> = { since: 'since', until: 'until', model: 'model', provider: 'provider', keyId: 'key', status: 'status', limit: 'limit' };

/** Where a list came from: the explorer's endpoint, or the older master-key listing with fewer filters. */
export interface RequestPage extends ListAnswer<LedgerRow> {
  legacy: boolean;
  ignoredFilters: string[];
}

/** Lists requests through `/admin/v1/requests`, else (not on this gateway yet) through `/admin/requests`. */
export async function listRequests(filters: Query): Promise<RequestPage> {
  try {
    return { ...(await apiGet<ListAnswer<LedgerRow>>('/admin/v1/requests', filters)), legacy: false, ignoredFilters: [] };
  } catch (error) {
    if (!(error instanceof ApiError && error.unavailable)) throw error;
  }
  const legacy: Query = {};
  const ignoredFilters: string[] = [];
  for (const [name, value] of Object.entries(filters)) {
    if (value === undefined || value === '' || name === 'cursor') continue;
    if (legacyNames[name] === undefined) ignoredFilters.push(name);
    else legacy[legacyNames[name]] = value;
  }
  const answer = await apiGet<ListAnswer<LedgerRow>>('/admin/requests', legacy);
  return { ...answer, legacy: true, ignoredFilters };
}

/** One request with its payload; through the older listing (no payload) when the detail endpoint is missing. */
export async function getRequest(requestId: string): Promise<RequestDetail & { legacy: boolean }> {
  try {
    return { ...(await apiGet<RequestDetail>(`/admin/v1/requests/${encodeURIComponent(requestId)}`)), legacy: false };
  } catch (error) {
    if (!(error instanceof ApiError && error.unavailable)) throw error;
  }
  const answer = await apiGet<ListAnswer<LedgerRow>>('/admin/requests', { limit: 1000 });
  const row = answer.data.find((candidate) => candidate.id === requestId);
  if (row === undefined) throw new ApiError(404, `No request ${requestId} among the newest 1000.`, 'not_found');
  return { row, legacy: true };
}
