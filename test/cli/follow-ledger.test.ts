import { describe, expect, it } from 'vitest';
import { followLedger } from '../../src/cli/logs-command.js';
import type { LedgerRow } from '../../src/observatory/index.js';

function row(id: string, timestamp: number): LedgerRow {
  return {
    id,
    timestamp,
    dialect: 'openai',
    operation: 'chat',
    requestedModel: 'openai/gpt-4o-mini',
    stream: false,
    status: 'ok',
    httpStatus: 200,
    attempts: [],
    latencyMs: 1,
    usageSource: 'provider',
  };
}

/** A fake ledger: `rows` is what the gateway has recorded so far; each poll step can add rows. */
function scenario(steps: Array<(rows: LedgerRow[]) => void | Error>, initial: LedgerRow[] = []) {
  const rows = [...initial];
  const printed: string[] = [];
  const warnings: string[] = [];
  const queries: Array<number | undefined> = [];
  let step = 0;
  let failure: Error | undefined;
  return {
    printed,
    warnings,
    queries,
    run: (limit = 20) =>
      followLedger({
        limit,
        fetchRows: async (since) => {
          queries.push(since);
          if (failure) throw failure;
          return rows.filter((item) => since === undefined || item.timestamp >= since).sort((left, right) => right.timestamp - left.timestamp);
        },
        print: (item) => printed.push(item.id),
        warn: (message) => warnings.push(message),
        pause: async () => {
          const outcome = steps[step]?.(rows);
          failure = outcome instanceof Error ? outcome : undefined;
          step += 1;
        },
        shouldStop: () => step >= steps.length,
      }),
  };
}

describe('followLedger', () => {
  it('prints the newest `limit` rows oldest first, then only rows it has not printed', async () => {
    const test = scenario(
      [(rows) => void rows.push(row('d', 4000)), () => undefined, (rows) => void rows.push(row('e', 5000))],
      [row('a', 1000), row('b', 2000), row('c', 3000)],
    );
    await test.run(2);
    expect(test.printed).toEqual(['b', 'c', 'd', 'e']);
  });

  it('prints a long request that started before rows already printed, when it is recorded later', async () => {
    const test = scenario([(rows) => void rows.push(row('fast', 2000)), (rows) => void rows.push(row('slow', 1500))], [row('old', 1000)]);
    await test.run();
    expect(test.printed).toEqual(['old', 'fast', 'slow']);
    // Each poll looks back a window from the newest row seen instead of starting at it.
    expect(test.queries[0]).toBeUndefined();
    expect(test.queries[2]).toBeLessThan(1500);
  });

  it('reports an unreachable gateway once and keeps polling; other errors end the command', async () => {
    const unreachable = new Error('cannot reach the gateway at http://127.0.0.1:1 (is it running? --url sets the address)');
    const test = scenario([() => unreachable, () => unreachable, (rows) => void rows.push(row('after-restart', 2000))], [row('a', 1000)]);
    await test.run();
    expect(test.warnings).toEqual([`${unreachable.message}; still trying`]);
    expect(test.printed).toEqual(['a', 'after-restart']);

    const fatal = scenario([() => new Error('the gateway answered 401: Invalid API key')]);
    await expect(fatal.run()).rejects.toThrow('401');
  });
});
