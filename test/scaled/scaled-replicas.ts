import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createWorkspace as createCliWorkspace, eventually, startCliGateway, type RunningCli, type Workspace } from '../cli/cli-process.js';

/** The master key every replica of the scaled tests shares (as replicas behind one load balancer do). */
export const scaledMasterKey = 'sk-sy-scaled-master-key-0123456789';

/** Where the replicas keep their shared state: one PostgreSQL schema, one Redis, one key prefix. */
export interface SharedStores {
  databaseUrl: string;
  redisUrl: string;
  /** `redis.keyPrefix`: every Redis key and channel of the replicas starts with it and a colon. */
  redisKeyPrefix: string;
}

/** One `switchyard start` process of the scaled preset, with its own working directory. */
export interface Replica {
  name: string;
  url: string;
  process: RunningCli;
  workspace: Workspace;
}

/**
 * Starts `node dist/cli/main.js start` with the scaled preset on the shared stores and `config` as its
 * `switchyard.yaml`. Port 0; the URL is read from the banner on stdout.
 */
export async function startReplica(name: string, stores: SharedStores, config: Record<string, unknown>): Promise<Replica> {
  const workspace = createCliWorkspace();
  writeFileSync(join(workspace.directory, 'switchyard.yaml'), stringify(config));
  try {
    const running = await startCliGateway({
      cwd: workspace.directory,
      environment: workspace.environment({
        SWITCHYARD_MASTER_KEY: scaledMasterKey,
        SWITCHYARD_PRESET: 'scaled',
        SWITCHYARD_DATABASE_URL: stores.databaseUrl,
        SWITCHYARD_REDIS_URL: stores.redisUrl,
        SWITCHYARD_REDIS__KEY_PREFIX: stores.redisKeyPrefix,
        SWITCHYARD_DISCOVER_PROVIDERS: 'false',
      }),
    });
    return { name, url: running.url, process: running, workspace };
  } catch (error) {
    workspace.remove();
    throw error;
  }
}

/** An answer of the gateway, its body read to the end. */
export interface GatewayAnswer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** Calls the admin API (`/admin/v1/...`) of one replica with the master key. */
export async function admin<T = Record<string, unknown>>(replica: Replica, method: string, path: string, body?: unknown): Promise<GatewayAnswer<T>> {
  const response = await fetch(`${replica.url}/admin/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${scaledMasterKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as T };
}

/** Creates a workspace in the default organisation through `replica` and returns its id. */
export async function createWorkspaceOn(replica: Replica, name: string): Promise<string> {
  const created = await admin<{ id: string }>(replica, 'POST', '/workspaces', { organisationId: 'org_default', name });
  if (created.status !== 201) throw new Error(`creating workspace ${name} on ${replica.name}: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.id;
}

/** Creates a virtual key through `replica`; the secret is shown only in this answer. */
export async function createKeyOn(replica: Replica, workspaceId: string): Promise<{ id: string; secret: string }> {
  const created = await admin<{ key: { id: string }; secret: string }>(replica, 'POST', '/keys', { workspaceId, name: `key-${Math.random().toString(36).slice(2, 10)}` });
  if (created.status !== 201) throw new Error(`creating a key on ${replica.name}: ${created.status} ${JSON.stringify(created.body)}`);
  return { id: created.body.key.id, secret: created.body.secret };
}

/** What a chat completion sent by {@link chat} asks for. */
export interface ChatOptions {
  /** Sent as `x-request-id`, which becomes the ledger row's id. */
  requestId?: string;
  stream?: boolean;
}

/** The model every scaled test calls (the OpenAI mock, priced in the replicas' config). */
export const testModel = 'openai/gpt-4o-mini';

/**
 * Sends one chat completion (max_tokens 10) to a replica and reads the answer to its end: the parsed JSON
 * body, or for a stream the raw event-stream text under `body.text`.
 */
export async function chat(replica: Replica, secret: string, options: ChatOptions = {}): Promise<GatewayAnswer> {
  const response = await fetch(`${replica.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', ...(options.requestId ? { 'x-request-id': options.requestId } : {}) },
    body: JSON.stringify({ model: testModel, max_tokens: 10, stream: options.stream ?? false, messages: [{ role: 'user', content: 'Say hello' }] }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  const isStream = (response.headers.get('content-type') ?? '').includes('text/event-stream');
  return { status: response.status, headers: response.headers, body: isStream ? { text } : (JSON.parse(text) as Record<string, unknown>) };
}

let markerCount = 0;

/**
 * Waits until `replica` has reloaded every governance definition committed through `origin` so far. The
 * change bus tells each replica to reload all definitions from PostgreSQL, so once a marker limit created
 * after them shows in `replica`'s rate-limit headers, the earlier ones are in force there too. This costs
 * nothing on the keys under test (the marker has a key of its own). Returns how long it took.
 */
export async function awaitDefinitionsOn(replica: Replica, origin: Replica, workspaceId: string): Promise<number> {
  const marker = await createKeyOn(origin, workspaceId);
  markerCount += 1;
  const limit = 10_000 + markerCount;
  const created = await admin(origin, 'POST', '/limits', { scope: 'key', scopeId: marker.id, metric: 'requests', limit, windowMs: 60_000 });
  if (created.status !== 201) throw new Error(`creating the marker limit: ${created.status} ${JSON.stringify(created.body)}`);
  const startedAt = performance.now();
  await eventually(async () => ((await chat(replica, marker.secret)).headers.get('x-ratelimit-limit-requests') === String(limit) ? true : undefined), 2_000, 5);
  return performance.now() - startedAt;
}

/** A ledger row as the admin ledger (`/admin/requests`) returns it. */
export interface LedgerRowView {
  id: string;
  keyId?: string;
  status: 'ok' | 'error';
  httpStatus: number;
  costMicros?: number;
}

/** The ledger rows of one key, read from PostgreSQL through `replica`'s admin ledger. */
export async function ledgerRowsOf(replica: Replica, keyId: string): Promise<LedgerRowView[]> {
  const response = await fetch(`${replica.url}/admin/requests?key=${encodeURIComponent(keyId)}&limit=1000`, {
    headers: { authorization: `Bearer ${scaledMasterKey}` },
    signal: AbortSignal.timeout(10_000),
  });
  if (response.status !== 200) throw new Error(`reading the ledger on ${replica.name}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { data: LedgerRowView[] }).data;
}
