import {
  rollupKeyOf,
  queryLimitOf,
  type DailyRollupQuery,
  type DailyUsage,
  type LedgerQuery,
  type LedgerRow,
  type SpendScope,
} from './ledger-row.js';
import type { UsageLedger } from './usage-ledger.js';

function newestFirst(left: LedgerRow, right: LedgerRow): number {
  if (left.timestamp !== right.timestamp) return right.timestamp - left.timestamp;
  return left.id < right.id ? 1 : left.id > right.id ? -1 : 0;
}

function matches(row: LedgerRow, filter: LedgerQuery): boolean {
  if (filter.since !== undefined && row.timestamp < filter.since) return false;
  if (filter.until !== undefined && row.timestamp >= filter.until) return false;
  if (filter.keyId !== undefined && row.keyId !== filter.keyId) return false;
  if (filter.model !== undefined && row.requestedModel !== filter.model && row.servedModel !== filter.model) {
    return false;
  }
  if (filter.provider !== undefined && row.servedProvider !== filter.provider) return false;
  if (filter.status !== undefined && row.status !== filter.status) return false;
  return true;
}

function copyRow(row: LedgerRow): LedgerRow {
  return { ...row, attempts: row.attempts.map((attempt) => ({ ...attempt })) };
}

/** The usage ledger in process memory (tests, and deployments that keep no history). */
export class MemoryUsageLedger implements UsageLedger {
  private readonly rows = new Map<string, LedgerRow>();
  private readonly daily = new Map<string, DailyUsage>();

  async append(rows: LedgerRow[]): Promise<void> {
    for (const row of rows) {
      if (this.rows.has(row.id)) continue;
      this.rows.set(row.id, copyRow(row));
      this.addToRollup(row);
    }
  }

  async spentMicros(scope: SpendScope, since: number, until: number): Promise<number> {
    const field = ({ key: 'keyId', team: 'teamId', workspace: 'workspaceId', organisation: 'organisationId' } as const)[scope.kind];
    let spent = 0;
    for (const row of this.rows.values()) {
      if (row[field] === scope.id && row.timestamp >= since && row.timestamp < until) spent += row.costMicros ?? 0;
    }
    return spent;
  }

  async query(filter: LedgerQuery = {}): Promise<LedgerRow[]> {
    const sorted = [...this.rows.values()].filter((row) => matches(row, filter)).sort(newestFirst);
    let start = 0;
    if (filter.afterId !== undefined) {
      const cursor = this.rows.get(filter.afterId);
      if (!cursor) return [];
      start = sorted.findIndex((row) => newestFirst(cursor, row) < 0);
      if (start < 0) return [];
    }
    return sorted.slice(start, start + queryLimitOf(filter)).map(copyRow);
  }

  async dailyRollup(filter: DailyRollupQuery = {}): Promise<DailyUsage[]> {
    return [...this.daily.values()]
      .filter((usage) => filter.since === undefined || usage.day >= filter.since)
      .filter((usage) => filter.keyId === undefined || usage.keyId === filter.keyId)
      .map((usage) => ({ ...usage }))
      .sort(
        (left, right) =>
          compare(left.day, right.day) ||
          compare(left.keyId ?? '', right.keyId ?? '') ||
          compare(left.model, right.model) ||
          compare(left.provider ?? '', right.provider ?? ''),
      );
  }

  async prune(olderThan: number): Promise<number> {
    let deleted = 0;
    for (const [id, row] of this.rows) {
      if (row.timestamp < olderThan) {
        this.rows.delete(id);
        deleted += 1;
      }
    }
    return deleted;
  }

  private addToRollup(row: LedgerRow): void {
    const bucket = rollupKeyOf(row);
    const mapKey = JSON.stringify([bucket.day, bucket.keyId, bucket.model, bucket.provider]);
    let usage = this.daily.get(mapKey);
    if (!usage) {
      usage = {
        day: bucket.day,
        model: bucket.model,
        requests: 0,
        errors: 0,
        inputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: 0,
        reasoningTokens: 0,
        costMicros: 0,
      };
      if (bucket.keyId !== '') usage.keyId = bucket.keyId;
      if (bucket.provider !== '') usage.provider = bucket.provider;
      this.daily.set(mapKey, usage);
    }
    usage.requests += 1;
    if (row.status === 'error') usage.errors += 1;
    usage.inputTokens += row.inputTokens ?? 0;
    usage.cacheReadTokens += row.cacheReadTokens ?? 0;
    usage.cacheWriteTokens += row.cacheWriteTokens ?? 0;
    usage.outputTokens += row.outputTokens ?? 0;
    usage.reasoningTokens += row.reasoningTokens ?? 0;
    usage.costMicros += row.costMicros ?? 0;
  }
}

function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
