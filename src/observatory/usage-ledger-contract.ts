import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerRow } from './ledger-row.js';
import type { UsageLedger } from './usage-ledger.js';

/** A fresh, empty ledger and how to dispose of it. */
export interface UsageLedgerFixture {
  ledger: UsageLedger;
  dispose?: () => Promise<void>;
}

const day = Date.UTC(2026, 10, 20);
const hour = 3_600_000;

/** A valid row with the given changes (a complete, served chat request by default). */
export function ledgerRow(changes: Partial<LedgerRow> & { id: string }): LedgerRow {
  return {
    timestamp: day + hour,
    keyId: 'key-a',
    dialect: 'openai',
    operation: 'chat',
    requestedModel: 'gpt-4o-mini',
    servedProvider: 'openai',
    servedModel: 'gpt-4o-mini',
    deploymentId: 'openai-main',
    stream: false,
    status: 'ok',
    httpStatus: 200,
    attempts: [{ deploymentId: 'openai-main', provider: 'openai', model: 'gpt-4o-mini', outcome: 'ok', durationMs: 120 }],
    latencyMs: 125.5,
    inputTokens: 100,
    outputTokens: 20,
    usageSource: 'provider',
    costMicros: 27,
    finishReason: 'stop',
    gatewayOverheadMs: 5.5,
    ...changes,
  };
}

/** The contract every {@link UsageLedger} implementation passes. */
export function describeUsageLedgerContract(name: string, create: () => Promise<UsageLedgerFixture>): void {
  describe(`UsageLedger contract: ${name}`, () => {
    let fixture: UsageLedgerFixture;
    let ledger: UsageLedger;

    beforeEach(async () => {
      fixture = await create();
      ledger = fixture.ledger;
    });
    afterEach(async () => {
      await fixture.dispose?.();
    });

    it('round-trips a full row, including attempts and fractional durations', async () => {
      const row = ledgerRow({
        id: 'r-full',
        stream: true,
        timeToFirstTokenMs: 42.25,
        cacheReadTokens: 50,
        cacheWriteTokens: 7,
        reasoningTokens: 9,
        guardrails: 'pii=masked;output.secrets=flagged',
        attempts: [
          { deploymentId: 'a', provider: 'anthropic', model: 'claude', outcome: 'error', errorCode: 'upstream_timeout', upstreamStatus: 504, durationMs: 3000 },
          { deploymentId: 'b', provider: 'openai', model: 'gpt-4o-mini', outcome: 'ok', durationMs: 100 },
        ],
      });
      await ledger.append([row]);
      expect(await ledger.query()).toEqual([row]);
    });

    it('keeps unknown figures undefined rather than 0', async () => {
      const row: LedgerRow = {
        id: 'r-bare',
        timestamp: day,
        dialect: 'anthropic',
        operation: 'chat',
        requestedModel: 'nothing-serves-this',
        stream: false,
        status: 'error',
        httpStatus: 404,
        errorCode: 'model_not_found',
        attempts: [],
        latencyMs: 3,
        usageSource: 'none',
      };
      await ledger.append([row]);
      const [stored] = await ledger.query();
      expect(stored).toEqual(row);
      expect(stored.inputTokens).toBeUndefined();
      expect(stored.costMicros).toBeUndefined();
      expect('keyId' in stored).toBe(false);
    });

    it('stores a zero as zero', async () => {
      await ledger.append([ledgerRow({ id: 'r-zero', outputTokens: 0, costMicros: 0 })]);
      const [stored] = await ledger.query();
      expect(stored.outputTokens).toBe(0);
      expect(stored.costMicros).toBe(0);
    });

    it('returns rows newest first, ties broken by id descending', async () => {
      await ledger.append([
        ledgerRow({ id: 'r1', timestamp: day + 1 }),
        ledgerRow({ id: 'r3', timestamp: day + 3 }),
        ledgerRow({ id: 'r2a', timestamp: day + 2 }),
        ledgerRow({ id: 'r2b', timestamp: day + 2 }),
      ]);
      expect((await ledger.query()).map((row) => row.id)).toEqual(['r3', 'r2b', 'r2a', 'r1']);
    });

    it('pages with limit and the afterId cursor', async () => {
      const rows = Array.from({ length: 7 }, (_, index) => ledgerRow({ id: `p${index}`, timestamp: day + (index % 3) }));
      await ledger.append(rows);
      const all = (await ledger.query()).map((row) => row.id);
      const seen: string[] = [];
      let afterId: string | undefined;
      for (;;) {
        const page = await ledger.query({ limit: 3, afterId });
        if (page.length === 0) break;
        expect(page.length).toBeLessThanOrEqual(3);
        seen.push(...page.map((row) => row.id));
        afterId = page[page.length - 1].id;
      }
      expect(seen).toEqual(all);
      expect(await ledger.query({ afterId: 'no-such-row' })).toEqual([]);
    });

    it('filters by time range (since inclusive, until exclusive), key, model, provider and status', async () => {
      await ledger.append([
        ledgerRow({ id: 'f1', timestamp: day + 10, keyId: 'key-a' }),
        ledgerRow({ id: 'f2', timestamp: day + 20, keyId: 'key-b', status: 'error', httpStatus: 502, errorCode: 'upstream_error' }),
        ledgerRow({ id: 'f3', timestamp: day + 30, keyId: 'key-a', requestedModel: 'fast', servedModel: 'claude-haiku-4-5', servedProvider: 'anthropic' }),
      ]);
      const ids = async (filter: Parameters<UsageLedger['query']>[0]) => (await ledger.query(filter)).map((row) => row.id);
      expect(await ids({ since: day + 20 })).toEqual(['f3', 'f2']);
      expect(await ids({ until: day + 20 })).toEqual(['f1']);
      expect(await ids({ since: day + 10, until: day + 30 })).toEqual(['f2', 'f1']);
      expect(await ids({ keyId: 'key-a' })).toEqual(['f3', 'f1']);
      expect(await ids({ model: 'fast' })).toEqual(['f3']);
      expect(await ids({ model: 'claude-haiku-4-5' })).toEqual(['f3']);
      expect(await ids({ provider: 'anthropic' })).toEqual(['f3']);
      expect(await ids({ status: 'error' })).toEqual(['f2']);
      expect(await ids({ status: 'ok', keyId: 'key-a', provider: 'openai' })).toEqual(['f1']);
      expect(await ids({ limit: 1 })).toEqual(['f3']);
    });

    it('ignores a row whose id is already stored, in the rows and in the rollup', async () => {
      const row = ledgerRow({ id: 'dup' });
      await ledger.append([row]);
      await ledger.append([row, ledgerRow({ id: 'dup-2' })]);
      expect((await ledger.query()).map((stored) => stored.id).sort()).toEqual(['dup', 'dup-2']);
      const [usage] = await ledger.dailyRollup();
      expect(usage.requests).toBe(2);
    });

    it('rolls rows up per UTC day, key, served model and provider', async () => {
      await ledger.append([
        ledgerRow({ id: 'd1', timestamp: day + hour, inputTokens: 100, outputTokens: 10, costMicros: 30, cacheReadTokens: 5 }),
        ledgerRow({ id: 'd2', timestamp: day + 2 * hour, inputTokens: 50, outputTokens: undefined, costMicros: undefined, reasoningTokens: 4 }),
        ledgerRow({ id: 'd3', timestamp: day + 3 * hour, status: 'error', httpStatus: 500, inputTokens: undefined, outputTokens: undefined, costMicros: undefined, cacheWriteTokens: 8 }),
        ledgerRow({ id: 'd4', timestamp: day + 25 * hour, inputTokens: 1, outputTokens: 1, costMicros: 1 }),
        ledgerRow({ id: 'd5', timestamp: day + hour, keyId: undefined, servedProvider: undefined, servedModel: undefined, requestedModel: 'unserved', status: 'error', httpStatus: 404, inputTokens: undefined, outputTokens: undefined, costMicros: undefined }),
      ]);
      const rollup = await ledger.dailyRollup();
      expect(rollup).toEqual([
        { day: '2026-11-20', model: 'unserved', requests: 1, errors: 1, inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0, costMicros: 0 },
        { day: '2026-11-20', keyId: 'key-a', model: 'gpt-4o-mini', provider: 'openai', requests: 3, errors: 1, inputTokens: 150, cacheReadTokens: 5, cacheWriteTokens: 8, outputTokens: 10, reasoningTokens: 4, costMicros: 30 },
        { day: '2026-11-21', keyId: 'key-a', model: 'gpt-4o-mini', provider: 'openai', requests: 1, errors: 0, inputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 1, reasoningTokens: 0, costMicros: 1 },
      ]);
      expect((await ledger.dailyRollup({ since: '2026-11-21' })).map((usage) => usage.day)).toEqual(['2026-11-21']);
      expect(await ledger.dailyRollup({ keyId: 'key-b' })).toEqual([]);
      expect((await ledger.dailyRollup({ keyId: 'key-a' })).length).toBe(2);
    });

    it('adds to an existing rollup across appends', async () => {
      await ledger.append([ledgerRow({ id: 'a1', costMicros: 1_000_000_000_000 })]);
      await ledger.append([ledgerRow({ id: 'a2', costMicros: 2_500_000_000_000 })]);
      const [usage] = await ledger.dailyRollup();
      expect(usage.requests).toBe(2);
      // Beyond 32-bit: a busy key's daily cost in micro-dollars.
      expect(usage.costMicros).toBe(3_500_000_000_000);
    });

    it('sums the spend of a key, team, workspace or organisation over a time range', async () => {
      const scoped = { organisationId: 'org_a', workspaceId: 'ws_a', teamId: 'team_a' };
      await ledger.append([
        ledgerRow({ id: 'spend-1', ...scoped, keyId: 'key_1', timestamp: day + 10, costMicros: 1_000 }),
        ledgerRow({ id: 'spend-2', ...scoped, keyId: 'key_2', timestamp: day + 20, costMicros: 2_500 }),
        ledgerRow({ id: 'spend-3', organisationId: 'org_a', workspaceId: 'ws_b', keyId: 'key_3', timestamp: day + 30, costMicros: 4_000 }),
        ledgerRow({ id: 'spend-4', ...scoped, keyId: 'key_1', timestamp: day + 40, costMicros: undefined }),
        ledgerRow({ id: 'spend-5', ...scoped, keyId: 'key_1', timestamp: day - 1, costMicros: 9_000 }),
      ]);
      expect(await ledger.spentMicros({ kind: 'key', id: 'key_1' }, day, day + 100)).toBe(1_000);
      expect(await ledger.spentMicros({ kind: 'team', id: 'team_a' }, day, day + 100)).toBe(3_500);
      expect(await ledger.spentMicros({ kind: 'workspace', id: 'ws_b' }, day, day + 100)).toBe(4_000);
      expect(await ledger.spentMicros({ kind: 'organisation', id: 'org_a' }, day, day + 100)).toBe(7_500);
      expect(await ledger.spentMicros({ kind: 'organisation', id: 'org_a' }, day, day + 25)).toBe(3_500);
      expect(await ledger.spentMicros({ kind: 'team', id: 'team_unknown' }, day, day + 100)).toBe(0);
      const [stored] = await ledger.query({ keyId: 'key_3' });
      expect(stored).toMatchObject({ organisationId: 'org_a', workspaceId: 'ws_b' });
    });

    it('prunes rows older than a time and keeps the rollup', async () => {
      await ledger.append([
        ledgerRow({ id: 'old1', timestamp: day }),
        ledgerRow({ id: 'old2', timestamp: day + 1 }),
        ledgerRow({ id: 'new', timestamp: day + 2 }),
      ]);
      expect(await ledger.prune(day + 2)).toBe(2);
      expect((await ledger.query()).map((row) => row.id)).toEqual(['new']);
      expect(await ledger.prune(day + 2)).toBe(0);
      expect((await ledger.dailyRollup())[0].requests).toBe(3);
    });

    it('appends a large batch in one call', async () => {
      const rows = Array.from({ length: 1234 }, (_, index) =>
        ledgerRow({ id: `bulk-${String(index).padStart(5, '0')}`, timestamp: day + index, inputTokens: 1 }),
      );
      await ledger.append(rows);
      expect((await ledger.query({ limit: 1000 })).length).toBe(1000);
      const [usage] = await ledger.dailyRollup();
      expect(usage.requests).toBe(1234);
      expect(usage.inputTokens).toBe(1234);
    });

    it('accepts an empty append', async () => {
      await ledger.append([]);
      expect(await ledger.query()).toEqual([]);
      expect(await ledger.dailyRollup()).toEqual([]);
    });
  });
}
