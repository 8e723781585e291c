import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerQuery } from './ledger-row.js';
import type { CapturedRequest, PayloadStore } from './payloads/payload-store.js';
import type { UsageLedger } from './usage-ledger.js';
import { ledgerRow } from './usage-ledger-contract.js';

/** A fresh, empty ledger with the payload store on the same storage. */
export interface SearchableLedgerFixture {
  ledger: UsageLedger;
  payloads: PayloadStore;
  dispose?: () => Promise<void>;
}

const day = Date.UTC(2026, 10, 20);

function capture(requestId: string, timestamp: number, changes: Partial<CapturedRequest> = {}): CapturedRequest {
  return { requestId, timestamp, mode: 'full', metadata: {}, requestBytes: 10, responseBytes: 5, messageCount: 1, truncated: false, ...changes };
}

/** The request explorer's filters, rollups and bounded retention: every ledger implementation passes it. */
export function describeLedgerSearchContract(name: string, create: () => Promise<SearchableLedgerFixture>): void {
  describe(`UsageLedger search and retention contract: ${name}`, () => {
    let fixture: SearchableLedgerFixture;
    let ledger: UsageLedger;
    const ids = async (filter: LedgerQuery) => (await ledger.query(filter)).map((row) => row.id);

    beforeEach(async () => {
      fixture = await create();
      ledger = fixture.ledger;
    });
    afterEach(async () => {
      await fixture.dispose?.();
    });

    it('filters by organisation, workspace, team, error code, latency and cost ranges', async () => {
      await ledger.append([
        ledgerRow({ id: 's1', timestamp: day + 1, organisationId: 'org_a', workspaceId: 'ws_a', teamId: 'team_a', latencyMs: 100, costMicros: 10 }),
        ledgerRow({ id: 's2', timestamp: day + 2, organisationId: 'org_a', workspaceId: 'ws_b', latencyMs: 900, costMicros: 5_000, status: 'error', httpStatus: 504, errorCode: 'upstream_timeout' }),
        ledgerRow({ id: 's3', timestamp: day + 3, organisationId: 'org_b', workspaceId: 'ws_c', teamId: 'team_a', latencyMs: 2_500.5, costMicros: undefined }),
      ]);
      expect(await ids({ organisationId: 'org_a' })).toEqual(['s2', 's1']);
      expect(await ids({ workspaceId: 'ws_b' })).toEqual(['s2']);
      expect(await ids({ teamId: 'team_a' })).toEqual(['s3', 's1']);
      expect(await ids({ errorCode: 'upstream_timeout' })).toEqual(['s2']);
      expect(await ids({ minLatencyMs: 900 })).toEqual(['s3', 's2']);
      expect(await ids({ minLatencyMs: 100, maxLatencyMs: 900 })).toEqual(['s2', 's1']);
      // Bounds are inclusive; a row whose cost is unknown matches no cost bound.
      expect(await ids({ minCostMicros: 10 })).toEqual(['s2', 's1']);
      expect(await ids({ maxCostMicros: 4_999 })).toEqual(['s1']);
      expect(await ids({ minCostMicros: 11, maxCostMicros: 5_000, organisationId: 'org_a' })).toEqual(['s2']);
    });

    it('finds the newest matches of a word most payloads hold, exactly, whatever order the payloads were written in', async () => {
      // Enough matches for SQLite's newest-first search (5,000 or more), written in an order unrelated to time.
      const count = 6_000;
      const order = Array.from({ length: count }, (_, index) => (index * 2_459) % count);
      const keyOf = (index: number) => `key_${index % 7}`;
      const textOf = (index: number) => (index % 10 === 3 ? 'nothing here' : index % 3 === 0 ? 'alpha beta' : 'alpha');
      const rows = order.map((index) => ledgerRow({ id: `w${String(index).padStart(5, '0')}`, timestamp: day + Math.floor(index / 2), keyId: keyOf(index) }));
      for (let start = 0; start < count; start += 1_000) {
        await ledger.append(rows.slice(start, start + 1_000));
        await fixture.payloads.append(order.slice(start, start + 1_000).map((index) => capture(`w${String(index).padStart(5, '0')}`, day + Math.floor(index / 2), { searchText: textOf(index) })));
      }
      // Newest first: by time, then id, as every page is ordered.
      const expected = (keep: (index: number) => boolean) =>
        Array.from({ length: count }, (_, index) => index)
          .filter(keep)
          .sort((left, right) => Math.floor(right / 2) - Math.floor(left / 2) || right - left)
          .map((index) => `w${String(index).padStart(5, '0')}`);
      const alpha = expected((index) => index % 10 !== 3);
      expect(await ids({ text: 'alpha', limit: 50 })).toEqual(alpha.slice(0, 50));
      expect(await ids({ text: 'beta alpha', limit: 20 })).toEqual(expected((index) => index % 10 !== 3 && index % 3 === 0).slice(0, 20));
      expect(await ids({ text: 'alpha', keyId: 'key_4', limit: 30 })).toEqual(expected((index) => index % 10 !== 3 && keyOf(index) === 'key_4').slice(0, 30));
      // The next page after a cursor, and a window that holds fewer matches than a page.
      expect(await ids({ text: 'alpha', afterId: alpha[49], limit: 50 })).toEqual(alpha.slice(50, 100));
      expect(await ids({ text: 'alpha', until: day + 10, limit: 50 })).toEqual(expected((index) => index % 10 !== 3 && Math.floor(index / 2) < 10));
    });

    it('pages newest first with the position cursor, without looking the cursor row up', async () => {
      await ledger.append(Array.from({ length: 7 }, (_, index) => ledgerRow({ id: `c${index}`, timestamp: day + (index % 3) })));
      const all = await ids({});
      const seen: string[] = [];
      let after: LedgerQuery['after'];
      for (;;) {
        const page = await ledger.query({ limit: 2, after });
        if (page.length === 0) break;
        seen.push(...page.map((row) => row.id));
        after = { timestamp: page[page.length - 1].timestamp, id: page[page.length - 1].id };
      }
      expect(seen).toEqual(all);
      // A position whose row is gone (pruned) still pages on.
      expect(await ids({ after: { timestamp: day + 1, id: 'zzz' } })).toEqual(['c4', 'c1', 'c6', 'c3', 'c0']);
    });

    it('filters by metadata pairs and by whole words of the stored prompt and completion', async () => {
      await ledger.append([ledgerRow({ id: 'm1', timestamp: day + 1 }), ledgerRow({ id: 'm2', timestamp: day + 2 }), ledgerRow({ id: 'm3', timestamp: day + 3 })]);
      await fixture.payloads.append([
        capture('m1', day + 1, { metadata: { tenant: 'acme', env: 'prod' }, searchText: 'Where is the Lighthouse of Alexandria?\nIt stood on Pharos.' }),
        capture('m2', day + 2, { metadata: { tenant: 'acme', env: 'dev' }, searchText: 'Write a haiku about lighthouses' }),
        capture('m3', day + 3, { mode: 'metadata', metadata: { tenant: 'globex' } }),
      ]);
      expect(await ids({ metadata: { tenant: 'acme' } })).toEqual(['m2', 'm1']);
      expect(await ids({ metadata: { tenant: 'acme', env: 'prod' } })).toEqual(['m1']);
      expect(await ids({ metadata: { tenant: 'initech' } })).toEqual([]);
      expect(await ids({ metadata: { tenant: 'globex' } })).toEqual(['m3']);
      expect(await ids({ text: 'lighthouse' })).toEqual(['m1']);
      expect(await ids({ text: 'PHAROS lighthouse' })).toEqual(['m1']);
      expect(await ids({ text: 'haiku' })).toEqual(['m2']);
      expect(await ids({ text: 'lighthouse haiku' })).toEqual([]);
      expect(await ids({ text: '?!' })).toEqual([]);
      expect(await ids({ text: 'haiku', metadata: { env: 'dev' }, since: day + 2 })).toEqual(['m2']);
    });

    it('rolls up per day by key, team, workspace, model and provider, summing over workspaces unless one is asked', async () => {
      const scoped = { organisationId: 'org_a', teamId: 'team_a' };
      await ledger.append([
        ledgerRow({ id: 'u1', timestamp: day + 1, ...scoped, workspaceId: 'ws_a', keyId: 'key_1', costMicros: 10, latencyMs: 100 }),
        ledgerRow({ id: 'u2', timestamp: day + 2, ...scoped, workspaceId: 'ws_b', keyId: 'key_2', costMicros: 20, latencyMs: 300, status: 'error', httpStatus: 500 }),
        ledgerRow({ id: 'u3', timestamp: day + 86_400_000, ...scoped, workspaceId: 'ws_a', keyId: 'key_1', servedModel: 'claude-haiku-4-5', servedProvider: 'anthropic', costMicros: 5, latencyMs: 50 }),
        ledgerRow({ id: 'u4', timestamp: day + 3, keyId: undefined, costMicros: undefined, latencyMs: 1, inputTokens: 7 }),
      ]);
      const byModel = await ledger.rollups({ groupBy: 'model' });
      expect(byModel.map((rollup) => [rollup.day, rollup.value, rollup.requests, rollup.errors, rollup.costMicros])).toEqual([
        ['2026-11-20', 'gpt-4o-mini', 3, 1, 30],
        ['2026-11-21', 'claude-haiku-4-5', 1, 0, 5],
      ]);
      expect(byModel[0]).toMatchObject({ groupBy: 'model', latencyMsTotal: 401, inputTokens: 207, outputTokens: 60 });
      const byTeam = await ledger.rollups({ groupBy: 'team', since: '2026-11-20', until: '2026-11-20' });
      expect(byTeam.map((rollup) => [rollup.value, rollup.requests])).toEqual([[undefined, 1], ['team_a', 2]]);
      expect('value' in byTeam[0]).toBe(false);
      expect((await ledger.rollups({ groupBy: 'key', workspaceId: 'ws_a' })).map((rollup) => [rollup.day, rollup.value, rollup.requests])).toEqual([
        ['2026-11-20', 'key_1', 1],
        ['2026-11-21', 'key_1', 1],
      ]);
      expect((await ledger.rollups({ groupBy: 'workspace', organisationId: 'org_a', since: '2026-11-21' })).map((rollup) => rollup.value)).toEqual(['ws_a']);
      expect((await ledger.rollups({ groupBy: 'provider' })).map((rollup) => rollup.value)).toEqual(['openai', 'anthropic']);
    });

    it('prunes in bounded batches, oldest first, and the rollups survive', async () => {
      await ledger.append(Array.from({ length: 10 }, (_, index) => ledgerRow({ id: `b${index}`, timestamp: day + index })));
      expect(await ledger.prune(day + 8, 3)).toBe(3);
      expect((await ids({ limit: 1000 })).sort()).toEqual(['b3', 'b4', 'b5', 'b6', 'b7', 'b8', 'b9']);
      expect(await ledger.prune(day + 8, 100)).toBe(5);
      expect(await ledger.prune(day + 8, 100)).toBe(0);
      expect((await ledger.rollups({ groupBy: 'key' }))[0].requests).toBe(10);
    });

    it('prunes rollups one day at a time', async () => {
      await ledger.append([0, 1, 2].map((offset) => ledgerRow({ id: `d${offset}`, timestamp: day + offset * 86_400_000 })));
      expect(await ledger.pruneRollups('2026-11-22')).toBeGreaterThan(0);
      expect((await ledger.rollups({ groupBy: 'model' })).map((rollup) => rollup.day)).toEqual(['2026-11-21', '2026-11-22']);
      expect((await ledger.dailyRollup()).map((usage) => usage.day)).toEqual(['2026-11-21', '2026-11-22']);
      expect(await ledger.pruneRollups('2026-11-22')).toBeGreaterThan(0);
      expect(await ledger.pruneRollups('2026-11-22')).toBe(0);
      expect((await ledger.rollups({ groupBy: 'model' })).map((rollup) => rollup.day)).toEqual(['2026-11-22']);
    });

    it('stores payloads once, returns them by request id and prunes them before the metadata', async () => {
      await fixture.payloads.append([
        capture('p1', day + 1, { requestText: '{"messages":[{"role":"user","content":"hi"}]}', responseText: 'hello', metadata: { tenant: 'acme' }, searchText: 'hi hello' }),
        capture('p2', day + 2, { mode: 'redacted', requestText: '{"messages":[{"role":"user","content":"[REDACTED:EMAIL]"', responseText: 'ok', truncated: true }),
        capture('p3', day + 3, { mode: 'metadata', metadata: { tenant: 'globex' } }),
      ]);
      // A retried batch changes nothing.
      await fixture.payloads.append([capture('p1', day + 1, { requestText: '{}', metadata: { tenant: 'other' } })]);
      expect(await fixture.payloads.get('p1')).toEqual({
        requestId: 'p1', timestamp: day + 1, mode: 'full', requestBytes: 10, responseBytes: 5, messageCount: 1, truncated: false,
        request: { messages: [{ role: 'user', content: 'hi' }] }, response: { text: 'hello' },
      });
      expect(await fixture.payloads.get('p2')).toMatchObject({ mode: 'redacted', truncated: true, request: '{"messages":[{"role":"user","content":"[REDACTED:EMAIL]"' });
      expect(await fixture.payloads.get('p3')).toBeUndefined();
      expect(await fixture.payloads.metadataOf('p1')).toEqual({ tenant: 'acme' });
      expect(await fixture.payloads.metadataOf('p3')).toEqual({ tenant: 'globex' });
      expect(await fixture.payloads.prune(day + 3, 1)).toBe(1);
      expect(await fixture.payloads.get('p1')).toBeUndefined();
      expect(await fixture.payloads.prune(day + 3)).toBe(1);
      expect(await fixture.payloads.metadataOf('p1')).toEqual({ tenant: 'acme' });
      await ledger.append([ledgerRow({ id: 'p1', timestamp: day + 1 })]);
      expect(await ids({ text: 'hello' })).toEqual([]);
      expect(await fixture.payloads.pruneMetadata(day + 10)).toBe(2);
      expect(await fixture.payloads.metadataOf('p3')).toEqual({});
    });
  });
}
