import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockProvider } from '../mock-providers/mock-provider.js';
import { startOpenAIMock } from '../mock-providers/openai-mock.js';
import { adminFetch } from '../support/admin-fetch.js';
import { startTestGateway, testMasterKey, type TestGateway } from '../support/test-gateway.js';

// Payload capture through a real gateway: the default mode stores the prompt and completion, a workspace
// set to `redacted` gets personal data masked, one set to `metadata` gets no text at all; the request
// explorer finds them by metadata and free text, and a workspace's viewer sees only its own requests.

let upstream: MockProvider;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startOpenAIMock();
  gateway = await startTestGateway({
    providers: [{ name: 'openai', kind: 'openai', apiKey: 'sk-upstream', baseUrl: upstream.baseUrl }],
    // The converting path here; the fast path (the default) has its own test at the end.
    routing: { maxRetries: 0, passthrough: false },
    ledger: { flushIntervalMs: 5 },
    payloads: { mode: 'full', maxBytes: 4096 },
    workspaces: { careful: { payloads: { mode: 'redacted' } }, secretive: { payloads: { mode: 'metadata' } } },
  });
});
afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

function admin<T = Record<string, unknown>>(method: string, path: string, body?: unknown, key = testMasterKey): Promise<{ status: number; body: T }> {
  return adminFetch<T>(gateway.url, method, path, body, key);
}

async function workspaceWithKey(name: string, role = 'developer'): Promise<{ workspaceId: string; secret: string }> {
  const workspace = await admin<{ id: string }>('POST', '/workspaces', { organisationId: 'org_default', name });
  expect(workspace.status).toBe(201);
  const key = await admin<{ secret: string }>('POST', '/keys', { workspaceId: workspace.body.id, name: `${name}-key`, role, allowedRoutes: ['/v1', '/admin/v1'] });
  expect(key.status).toBe(201);
  return { workspaceId: workspace.body.id, secret: key.body.secret };
}

interface Detail {
  row: { id: string; workspaceId?: string };
  metadata?: Record<string, string>;
  payload?: { mode: string; request?: { messages: Array<{ content: string }> }; response?: { text: string }; requestBytes: number; truncated: boolean };
}

/** Sends one chat request and has its capture stored; returns the request id. */
async function chat(secret: string, content: string, metadata: Record<string, string>): Promise<string> {
  const client = new OpenAI({ apiKey: secret, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  const { response } = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content }], metadata }).withResponse();
  const requestId = response.headers.get('x-request-id') ?? '';
  await gateway.running.settle();
  return requestId;
}

describe('payload capture and the request explorer', () => {
  it('stores the full prompt and completion by default, redacts in a redacted workspace, and keeps only sizes in a metadata workspace', async () => {
    const plain = await workspaceWithKey('plain');
    const careful = await workspaceWithKey('careful');
    const secretive = await workspaceWithKey('secretive');
    const prompt = 'Draft a reply to alice@example.com about the lighthouse invoice';

    const fullId = await chat(plain.secret, prompt, { ticket: 'T-1' });
    const full = (await admin<Detail>('GET', `/requests/${fullId}`)).body;
    expect(full.payload?.mode).toBe('full');
    expect(full.payload?.request?.messages[0].content).toBe(prompt);
    expect(full.payload?.response?.text).toContain('Hello');
    expect(full.metadata).toEqual({ ticket: 'T-1' });

    const redactedId = await chat(careful.secret, prompt, { ticket: 'T-2' });
    const redacted = (await admin<Detail>('GET', `/requests/${redactedId}`)).body;
    expect(redacted.payload?.mode).toBe('redacted');
    expect(redacted.payload?.request?.messages[0].content).toBe('Draft a reply to [REDACTED:EMAIL] about the lighthouse invoice');
    expect(JSON.stringify(redacted)).not.toContain('alice@example.com');

    const metadataId = await chat(secretive.secret, prompt, { ticket: 'T-3' });
    const metadataOnly = (await admin<Detail>('GET', `/requests/${metadataId}`)).body;
    expect(metadataOnly.payload).toBeUndefined();
    expect(metadataOnly.metadata).toEqual({ ticket: 'T-3' });
    expect(JSON.stringify(metadataOnly)).not.toContain('lighthouse');

    // Free text finds the two stored prompts (not the metadata-only one); metadata finds each.
    const found = await admin<{ data: Array<{ id: string }> }>('GET', '/requests?q=lighthouse%20invoice');
    expect(found.body.data.map((row) => row.id).sort()).toEqual([fullId, redactedId].sort());
    expect((await admin<{ data: Array<{ id: string }> }>('GET', '/requests?q=alice')).body.data.map((row) => row.id)).toEqual([fullId]);
    expect((await admin<{ data: Array<{ id: string }> }>('GET', '/requests?metadata.ticket=T-3')).body.data.map((row) => row.id)).toEqual([metadataId]);
  });

  it("shows a workspace's viewer only its own workspace's requests and usage", async () => {
    const mine = await workspaceWithKey('viewer-home', 'viewer');
    const other = await workspaceWithKey('viewer-other');
    const myId = await chat(mine.secret, 'my own question', { side: 'mine' });
    const otherId = await chat(other.secret, 'somebody else', { side: 'other' });

    const listed = await admin<{ data: Array<{ id: string; workspaceId: string }> }>('GET', '/requests?limit=1000', undefined, mine.secret);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((row) => row.id)).toEqual([myId]);
    expect((await admin('GET', `/requests/${otherId}`, undefined, mine.secret)).status).toBe(404);
    expect((await admin('GET', `/requests?workspaceId=${other.workspaceId}`, undefined, mine.secret)).status).toBe(403);

    const usage = await admin<{ data: Array<{ value?: string; requests: number }> }>('GET', '/usage/daily?groupBy=workspace', undefined, mine.secret);
    expect(usage.body.data.map((rollup) => [rollup.value, rollup.requests])).toEqual([[mine.workspaceId, 1]]);
    const all = await admin<{ data: Array<{ value?: string }> }>('GET', '/usage/daily?groupBy=workspace');
    expect(all.body.data.map((rollup) => rollup.value)).toEqual(expect.arrayContaining([mine.workspaceId, other.workspaceId]));
  });

  it('pages newest first with nextCursor and rejects a forged cursor', async () => {
    const { secret } = await workspaceWithKey('paging');
    const ids = [await chat(secret, 'one', { page: 'x' }), await chat(secret, 'two', { page: 'x' }), await chat(secret, 'three', { page: 'x' })];
    const first = await admin<{ data: Array<{ id: string }>; nextCursor?: string }>('GET', '/requests?metadata.page=x&limit=2');
    expect(first.body.data.map((row) => row.id)).toEqual([ids[2], ids[1]]);
    const second = await admin<{ data: Array<{ id: string }>; nextCursor?: string }>('GET', `/requests?metadata.page=x&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.data.map((row) => row.id)).toEqual([ids[0]]);
    expect(second.body.nextCursor).toBeUndefined();
    expect((await admin('GET', '/requests?cursor=bogus')).status).toBe(400);
  });

  it('keeps the old /admin/requests listing that `switchyard logs` reads', async () => {
    const response = await fetch(`${gateway.url}/admin/requests?limit=1`, { headers: { authorization: `Bearer ${testMasterKey}` } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: unknown[] }).data).toHaveLength(1);
  });
});

describe('payload capture on the fast path (client and provider speak the same wire)', () => {
  let fastGateway: TestGateway;
  beforeAll(async () => {
    fastGateway = await startTestGateway({
      providers: [{ name: 'openai', kind: 'openai', apiKey: 'sk-upstream', baseUrl: upstream.baseUrl }],
      routing: { maxRetries: 0 },
      ledger: { flushIntervalMs: 5 },
    });
  });
  afterAll(async () => {
    await fastGateway?.stop();
  });

  async function storedAnswer(requestId: string): Promise<string | undefined> {
    await fastGateway.running.settle();
    const detail = await adminFetch<Detail>(fastGateway.url, 'GET', `/requests/${requestId}`, undefined, testMasterKey);
    expect(detail.status).toBe(200);
    return detail.body.payload?.response?.text;
  }

  it('stores the completion of a plain answer and of a stream, read back from the provider\'s bytes', async () => {
    const client = new OpenAI({ apiKey: testMasterKey, baseURL: `${fastGateway.url}/v1`, maxRetries: 0 });
    const { data: answer, response } = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }] }).withResponse();
    expect(answer.choices[0].message.content).toBeTruthy();
    expect(await storedAnswer(response.headers.get('x-request-id') ?? '')).toBe(answer.choices[0].message.content);

    const { data: stream, response: streamResponse } = await client.chat.completions
      .create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }], stream: true })
      .withResponse();
    let streamed = '';
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
    expect(streamed).not.toBe('');
    expect(await storedAnswer(streamResponse.headers.get('x-request-id') ?? '')).toBe(streamed);
  });

  it('stores the request body as the client sent it (its own spacing and escapes), not encoded again', async () => {
    const sent = '{\n  "model": "openai/gpt-4o-mini",\n  "messages": [ { "role": "user", "content": "caf\\u00e9 at \\"noon\\"" } ]\n}';
    const response = await fetch(`${fastGateway.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${testMasterKey}`, 'content-type': 'application/json' }, body: sent });
    expect(response.status).toBe(200);
    await response.text();
    await fastGateway.running.settle();
    const detail = await adminFetch<Detail>(fastGateway.url, 'GET', `/requests/${response.headers.get('x-request-id') ?? ''}`, undefined, testMasterKey);
    expect(detail.body.payload?.request?.messages[0].content).toBe('café at "noon"');
    // The stored size is the sent text's: a second encoding would be shorter (no spacing, é as one character).
    expect(detail.body.payload?.requestBytes).toBe(Buffer.byteLength(sent));
    expect(Buffer.byteLength(JSON.stringify(JSON.parse(sent)))).toBeLessThan(Buffer.byteLength(sent));
  });
});
