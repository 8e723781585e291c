import { z } from 'zod';
import { GatewayError } from '../../spec/index.js';
import type { AdminCall, AdminDependencies } from '../../governance/admin/admin-dependencies.js';
import { parseInput } from '../../governance/admin/admin-input.js';
import { runAdminRead } from '../../governance/admin/admin-operation.js';
import { readableRequestScope } from '../analytics/analytics-admin.js';
import { dayOf, rollupDimensions, type LedgerPosition, type LedgerQuery, type LedgerRow, type UsageRollup } from '../ledger-row.js';
import type { UsageLedger } from '../usage-ledger.js';
import type { PayloadStore, StoredPayload } from './payload-store.js';

/** The stores the request explorer reads (`AdminDependencies.requests`). */
export interface RequestExplorerStores {
  ledger: Pick<UsageLedger, 'query' | 'rollups'>;
  payloads?: Pick<PayloadStore, 'get' | 'metadataOf'>;
}

const epochMs = z.coerce.number().int().nonnegative();
const text = z.string().trim().min(1).max(200);

export const listRequestsQuerySchema = z.strictObject({
  since: epochMs.optional().describe('Inclusive, epoch ms.'),
  until: epochMs.optional().describe('Exclusive, epoch ms.'),
  keyId: text.optional(),
  teamId: text.optional(),
  workspaceId: text.optional(),
  model: text.optional().describe('The requested or the served model.'),
  provider: text.optional(),
  status: z.enum(['ok', 'error']).optional(),
  errorCode: text.optional(),
  minLatencyMs: z.coerce.number().nonnegative().optional(),
  maxLatencyMs: z.coerce.number().nonnegative().optional(),
  minCostMicros: z.coerce.number().int().nonnegative().optional(),
  maxCostMicros: z.coerce.number().int().nonnegative().optional(),
  q: z.string().trim().min(1).max(500).optional().describe('Free text: every word must occur in the stored prompt or completion.'),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().min(1).max(500).optional().describe('The nextCursor of the previous page.'),
});

/** `metadata.<name>=<value>` query parameters: at most 16, as OpenAI allows on a request. */
const metadataQuerySchema = z.record(z.string().min(1).max(64), z.string().max(512)).refine((pairs) => Object.keys(pairs).length <= 16, 'at most 16 metadata filters');

export const usageDailyQuerySchema = z.strictObject({
  since: epochMs.optional().describe('Inclusive, epoch ms (its UTC day counts whole).'),
  until: epochMs.optional().describe('Exclusive, epoch ms.'),
  groupBy: z.enum(rollupDimensions).default('model'),
  workspaceId: text.optional(),
});

const ledgerRowSchema = z.looseObject({ id: z.string(), timestamp: z.number() }).describe('A LedgerRow (src/observatory/ledger-row.ts).');

export const requestListSchema = z.object({ object: z.literal('list'), data: z.array(ledgerRowSchema), nextCursor: z.string().optional() });

export const requestDetailSchema = z.object({
  row: ledgerRowSchema,
  metadata: z.record(z.string(), z.string()).optional(),
  payload: z
    .object({
      mode: z.enum(['full', 'redacted', 'metadata']),
      request: z.unknown().optional(),
      response: z.object({ text: z.string() }).optional(),
      requestBytes: z.number(),
      responseBytes: z.number(),
      messageCount: z.number(),
      truncated: z.boolean(),
    })
    .optional(),
});

export const usageRollupSchema = z.object({
  day: z.string(),
  groupBy: z.enum(rollupDimensions),
  value: z.string().optional(),
  requests: z.number(),
  errors: z.number(),
  inputTokens: z.number(),
  cacheReadTokens: z.number(),
  cacheWriteTokens: z.number(),
  outputTokens: z.number(),
  reasoningTokens: z.number(),
  costMicros: z.number(),
  latencyMsTotal: z.number(),
});

/** A page cursor: the last row's position, opaque to clients. */
export function encodeCursor(position: LedgerPosition): string {
  return Buffer.from(JSON.stringify([position.timestamp, position.id])).toString('base64url');
}

function decodeCursor(cursor: string): LedgerPosition {
  try {
    const [timestamp, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof timestamp === 'number' && typeof id === 'string') return { timestamp, id };
  } catch {
    // fall through
  }
  throw new GatewayError('invalid_request', 'cursor: not a cursor this API returned', { param: 'cursor' });
}

function storesOf(dependencies: AdminDependencies): RequestExplorerStores {
  if (dependencies.requests === undefined) throw new GatewayError('not_found', 'The request explorer is not enabled on this gateway.');
  return dependencies.requests;
}

function splitMetadata(input: unknown): { rest: Record<string, unknown>; metadata: Record<string, unknown> } {
  const rest: Record<string, unknown> = {};
  const metadata: Record<string, unknown> = {};
  for (const [name, value] of Object.entries((input ?? {}) as Record<string, unknown>)) {
    if (name.startsWith('metadata.')) metadata[name.slice('metadata.'.length)] = value;
    else rest[name] = value;
  }
  return { rest, metadata };
}

/** `GET /admin/v1/requests`: ledger rows newest first, filtered, limited to what the caller may read. */
export async function listRequests(dependencies: AdminDependencies, call: AdminCall, input: unknown): Promise<{ object: 'list'; data: LedgerRow[]; nextCursor?: string }> {
  const { rest, metadata } = splitMetadata(input);
  const query = parseInput(listRequestsQuerySchema, rest, 'query');
  const pairs = parseInput(metadataQuerySchema, metadata, 'query.metadata');
  const { ledger } = storesOf(dependencies);
  const scope = await runAdminRead(dependencies, call, 'requests.list', (operation) => readableRequestScope(operation, query.workspaceId));
  const limit = query.limit ?? 50;
  const filter: LedgerQuery = {
    since: query.since,
    until: query.until,
    keyId: query.keyId,
    teamId: query.teamId,
    model: query.model,
    provider: query.provider,
    status: query.status,
    errorCode: query.errorCode,
    minLatencyMs: query.minLatencyMs,
    maxLatencyMs: query.maxLatencyMs,
    minCostMicros: query.minCostMicros,
    maxCostMicros: query.maxCostMicros,
    text: query.q,
    metadata: Object.keys(pairs).length > 0 ? pairs : undefined,
    after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
    limit,
    ...scope,
  };
  const data = await ledger.query(filter);
  const last = data.at(-1);
  return { object: 'list', data, ...(data.length === limit && last !== undefined ? { nextCursor: encodeCursor(last) } : {}) };
}

/** `GET /admin/v1/requests/{requestId}`: the row, its metadata and its stored payload (while kept). */
export async function getRequest(
  dependencies: AdminDependencies,
  call: AdminCall,
  requestId: string,
): Promise<{ row: LedgerRow; metadata?: Record<string, string>; payload?: Omit<StoredPayload, 'requestId' | 'timestamp'> }> {
  const { ledger, payloads } = storesOf(dependencies);
  const scope = await runAdminRead(dependencies, call, 'requests.get', (operation) => readableRequestScope(operation, undefined));
  // Another workspace's request is "not found", not "forbidden": its existence is not the caller's business.
  const [row] = await ledger.query({ requestId, ...scope, limit: 1 });
  if (row === undefined) throw new GatewayError('not_found', `No request with id ${requestId}`, { param: 'requestId' });
  const [stored, metadata] = await Promise.all([payloads?.get(requestId), payloads?.metadataOf(requestId)]);
  const answer: { row: LedgerRow; metadata?: Record<string, string>; payload?: Omit<StoredPayload, 'requestId' | 'timestamp'> } = { row };
  if (metadata !== undefined && Object.keys(metadata).length > 0) answer.metadata = metadata;
  if (stored !== undefined) {
    const { requestId: _id, timestamp: _timestamp, ...payload } = stored;
    answer.payload = payload;
  }
  return answer;
}

/** `GET /admin/v1/usage/daily`: daily rollups by one dimension, over what the caller may read. */
export async function usageDaily(dependencies: AdminDependencies, call: AdminCall, input: unknown): Promise<UsageRollup[]> {
  const query = parseInput(usageDailyQuerySchema, input, 'query');
  const { ledger } = storesOf(dependencies);
  const scope = await runAdminRead(dependencies, call, 'usage.daily', (operation) => readableRequestScope(operation, query.workspaceId));
  return ledger.rollups({
    groupBy: query.groupBy,
    since: query.since === undefined ? undefined : dayOf(query.since),
    until: query.until === undefined ? undefined : dayOf(Math.max(0, query.until - 1)),
    ...scope,
  });
}
