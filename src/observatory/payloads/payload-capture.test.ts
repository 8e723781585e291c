import { describe, expect, it } from 'vitest';
import { ledgerRow } from '../usage-ledger-contract.js';
import { capText, captureRequest, metadataOf, truncationMarker } from './capture-request.js';
import { MemoryPayloadStore } from './memory-payload-store.js';
import { PayloadCapture } from './payload-capture.js';

const body = { model: 'gpt-4o', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: [{ type: 'text', text: 'Mail bob@example.com the plan' }] }], metadata: { tenant: 'acme', priority: 2, nested: { no: 1 } } };

describe('captureRequest', () => {
  it('keeps the body and completion in full mode, with sizes, message count and search text', () => {
    const capture = captureRequest(ledgerRow({ id: 'c1' }), body, 'Sent to bob@example.com', 'full', 10_000);
    expect(capture).toMatchObject({ requestId: 'c1', mode: 'full', messageCount: 2, truncated: false, responseText: 'Sent to bob@example.com', metadata: { tenant: 'acme', priority: '2' } });
    expect(JSON.parse(capture.requestText ?? '')).toEqual(body);
    expect(capture.requestBytes).toBe(Buffer.byteLength(JSON.stringify(body)));
    expect(capture.searchText).toContain('Mail bob@example.com the plan');
  });

  it('stores the JSON text the client sent as it came, and measures that text', () => {
    const sent = `{ "model": "gpt-4o",\n  "messages": [{ "role": "user", "content": "caf\u00e9 au lait" }] }`;
    const parsed = JSON.parse(sent) as unknown;
    const capture = captureRequest(ledgerRow({ id: 'c5' }), parsed, 'ok', 'full', 10_000, sent);
    expect(capture.requestText).toBe(sent);
    expect(capture.requestBytes).toBe(Buffer.byteLength(sent));
    expect(capture.searchText).toContain('café au lait');
    const cut = captureRequest(ledgerRow({ id: 'c6' }), parsed, 'ok', 'full', 40, sent);
    expect(cut.truncated).toBe(true);
    expect(cut.requestBytes).toBe(Buffer.byteLength(sent));
  });

  it('never stores the sent text in redacted or metadata mode', () => {
    const sent = JSON.stringify(body);
    const redacted = captureRequest(ledgerRow({ id: 'c7' }), body, 'Sent to bob@example.com', 'redacted', 10_000, sent);
    expect(redacted.requestText).not.toContain('bob@example.com');
    expect(redacted.requestBytes).toBe(Buffer.byteLength(sent));
    const metadata = captureRequest(ledgerRow({ id: 'c8' }), body, 'Sent', 'metadata', 10_000, sent);
    expect(metadata.requestText).toBeUndefined();
    expect(metadata.requestBytes).toBe(Buffer.byteLength(sent));
  });

  it('masks the body, the completion and the search text in redacted mode', () => {
    const capture = captureRequest(ledgerRow({ id: 'c2' }), body, 'Sent to bob@example.com', 'redacted', 10_000);
    expect(`${capture.requestText}${capture.responseText}${capture.searchText}`).not.toContain('bob@example.com');
    expect(capture.responseText).toBe('Sent to [REDACTED:EMAIL]');
  });

  it('stores no text in metadata mode, only sizes and metadata', () => {
    const capture = captureRequest(ledgerRow({ id: 'c3' }), body, 'Sent', 'metadata', 10_000);
    expect(capture.requestText).toBeUndefined();
    expect(capture.responseText).toBeUndefined();
    expect(capture.searchText).toBeUndefined();
    expect(capture).toMatchObject({ responseBytes: 4, messageCount: 2, metadata: { tenant: 'acme' } });
  });

  it('cuts long texts at the byte cap, never inside a character, and marks them', () => {
    const cut = capText('é'.repeat(100), 51);
    expect(cut.truncated).toBe(true);
    expect(cut.text.endsWith(truncationMarker)).toBe(true);
    expect(Buffer.byteLength(cut.text)).toBeLessThanOrEqual(51);
    expect(cut.text).not.toContain('\uFFFD');
    expect(cut.bytes).toBe(200);
    expect(capText('short', 51)).toEqual({ text: 'short', bytes: 5, truncated: false });
    const capture = captureRequest(ledgerRow({ id: 'c4' }), { messages: [{ role: 'user', content: 'x'.repeat(500) }] }, 'y'.repeat(500), 'full', 100);
    expect(capture.truncated).toBe(true);
    expect(capture.requestBytes).toBeGreaterThan(500);
  });

  it('reads only flat metadata, bounded', () => {
    expect(metadataOf({ metadata: ['a'] })).toEqual({});
    expect(metadataOf(undefined)).toEqual({});
    expect(Object.keys(metadataOf({ metadata: Object.fromEntries(Array.from({ length: 50 }, (_, index) => [`k${index}`, 'v'])) }))).toHaveLength(32);
  });
});

describe('PayloadCapture', () => {
  it('queues on observe, writes on flush, and picks each workspace mode by id or by name', async () => {
    const store = new MemoryPayloadStore();
    const names: Record<string, string> = { ws_1: 'careful', ws_2: 'secretive' };
    let lookups = 0;
    const capture = new PayloadCapture({
      store,
      policy: { mode: 'full', maxBytes: 1_000, workspaceModes: { careful: 'redacted', secretive: 'metadata', ws_3: 'metadata' } },
      workspaceNameOf: async (id) => {
        lookups += 1;
        return names[id];
      },
      intervalMs: 60_000,
    });
    const observed = { body: () => body, bodyText: () => undefined, outputText: () => 'to bob@example.com' };
    capture.observe(ledgerRow({ id: 'p-default' }), observed);
    capture.observe(ledgerRow({ id: 'p-careful', workspaceId: 'ws_1' }), observed);
    capture.observe(ledgerRow({ id: 'p-careful-2', workspaceId: 'ws_1' }), observed);
    capture.observe(ledgerRow({ id: 'p-secret', workspaceId: 'ws_2' }), observed);
    capture.observe(ledgerRow({ id: 'p-by-id', workspaceId: 'ws_3' }), observed);
    expect(await store.get('p-default')).toBeUndefined();
    await capture.flush();
    expect((await store.get('p-default'))?.response?.text).toBe('to bob@example.com');
    expect((await store.get('p-careful'))?.response?.text).toBe('to [REDACTED:EMAIL]');
    expect(await store.get('p-secret')).toBeUndefined();
    expect(await store.metadataOf('p-secret')).toEqual({ tenant: 'acme', priority: '2' });
    expect(await store.get('p-by-id')).toBeUndefined();
    // One name lookup per workspace, cached.
    expect(lookups).toBe(2);
    await capture.close();
    expect(capture.stats()).toMatchObject({ written: 5, buffered: 0 });
  });

  it('stores nothing at all for a workspace whose mode is off, and says when every mode is off', async () => {
    const store = new MemoryPayloadStore();
    const capture = new PayloadCapture({ store, policy: { mode: 'full', maxBytes: 1_000, workspaceModes: { ws_quiet: 'off' } }, intervalMs: 60_000 });
    const observed = { body: () => body, bodyText: () => undefined, outputText: () => 'answer' };
    capture.observe(ledgerRow({ id: 'p-quiet', workspaceId: 'ws_quiet' }), observed);
    capture.observe(ledgerRow({ id: 'p-loud', workspaceId: 'ws_loud' }), observed);
    await capture.flush();
    expect(await store.get('p-quiet')).toBeUndefined();
    expect(await store.metadataOf('p-quiet')).toEqual({});
    expect((await store.get('p-loud'))?.response?.text).toBe('answer');
    expect(capture.capturesAnything).toBe(true);
    expect(new PayloadCapture({ store, policy: { mode: 'off', maxBytes: 1_000, workspaceModes: { a: 'off' } } }).capturesAnything).toBe(false);
    expect(new PayloadCapture({ store, policy: { mode: 'off', maxBytes: 1_000, workspaceModes: { a: 'metadata' } } }).capturesAnything).toBe(true);
    await capture.close();
  });
});
