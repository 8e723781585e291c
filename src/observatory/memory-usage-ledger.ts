import {
  isAfter,
  rollupKeyOf,
  queryLimitOf,
  searchWordsOf,
  type DailyRollupQuery,
  type DailyUsage,
  type LedgerQuery,
  type LedgerRow,
  type SpendScope,
  type UsageRollup,
  type UsageRollupQuery,
} from './ledger-row.js';
import type { MemoryPayloadStore } from './payloads/memory-payload-store.js';
import type { UsageLedger } from './usage-ledger.js';
import { addRowToCounters, rollupCounters, rollupDeltas, toUsageRollup, usageCounterColumns, type RollupDelta, type UsageCounters } from './usage-rollup-deltas.js';

/** A daily bucket (key, model, provider; '' for none) and its counters. */
type DailyEntry = { day: string; keyId: string; model: string; provider: string; counters: UsageCounters };

function newestFirst(left: LedgerRow, right: LedgerRow): number {
  if (left.timestamp !== right.timestamp) return right.timestamp - left.timestamp;
  return left.id < right.id ? 1 : left.id > right.id ? -1 : 0;
}

function matches(row: LedgerRow, filter: LedgerQuery, payloads: MemoryPayloadStore | undefined): boolean {
  if (!matchesFields(row, filter)) return false;
  if (filter.metadata !== undefined && Object.keys(filter.metadata).length > 0 && payloads?.matchesMetadata(row.id, filter.metadata) !== true) return false;
  if (filter.text !== undefined && filter.text.trim() !== '') {
    const words = searchWordsOf(filter.text);
    if (words.length === 0 || payloads?.matchesText(row.id, words) !== true) return false;
  }
  return filter.after === undefined || isAfter(row, filter.after);
}

function within(value: number | undefined, minimum: number | undefined, maximum: number | undefined): boolean {
  if (minimum === undefined && maximum === undefined) return true;
  if (value === undefined) return false;
  return (minimum === undefined || value >= minimum) && (maximum === undefined || value <= maximum);
}

function matchesFields(row: LedgerRow, filter: LedgerQuery): boolean {
  if (filter.requestId !== undefined && row.id !== filter.requestId) return false;
  if (filter.organisationId !== undefined && row.organisationId !== filter.organisationId) return false;
  if (filter.workspaceId !== undefined && row.workspaceId !== filter.workspaceId) return false;
  if (filter.teamId !== undefined && row.teamId !== filter.teamId) return false;
  if (filter.errorCode !== undefined && row.errorCode !== filter.errorCode) return false;
  if (!within(row.latencyMs, filter.minLatencyMs, filter.maxLatencyMs)) return false;
  if (!within(row.costMicros, filter.minCostMicros, filter.maxCostMicros)) return false;
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
  const copy = { ...row, attempts: row.attempts.map((attempt) => ({ ...attempt })) };
  if (row.trace !== undefined) copy.trace = { ...row.trace, attempts: row.trace.attempts.map((attempt) => ({ ...attempt })) };
  return copy;
}

/**
 * The usage ledger in process memory (tests, and deployments that keep no history). Give it the memory
 * payload store to filter by metadata and free text.
 */
export class MemoryUsageLedger implements UsageLedger {
  private readonly rows = new Map<string, LedgerRow>();
  private readonly daily = new Map<string, DailyEntry>();
  private readonly rollupTotals = new Map<string, RollupDelta>();
  private readonly payloads: MemoryPayloadStore | undefined;

  constructor(options: { payloads?: MemoryPayloadStore } = {}) {
    this.payloads = options.payloads;
  }

  async append(rows: LedgerRow[]): Promise<void> {
    for (const row of rows) {
      if (this.rows.has(row.id)) continue;
      this.rows.set(row.id, copyRow(row));
      this.addToRollup(row);
      this.addToRollups(row);
    }
  }

  /** The rows of traced requests (tracing on), copied: what a memory trace store derives gateway spans from. */
  tracedRows(): LedgerRow[] {
    const rows: LedgerRow[] = [];
    for (const row of this.rows.values()) if (row.trace !== undefined) rows.push(copyRow(row));
    return rows;
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
    const sorted = [...this.rows.values()].filter((row) => matches(row, filter, this.payloads)).sort(newestFirst);
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
      .map(toDailyUsage)
      .filter((usage) => filter.since === undefined || usage.day >= filter.since)
      .filter((usage) => filter.keyId === undefined || usage.keyId === filter.keyId)
      .sort(
        (left, right) =>
          compare(left.day, right.day) ||
          compare(left.keyId ?? '', right.keyId ?? '') ||
          compare(left.model, right.model) ||
          compare(left.provider ?? '', right.provider ?? ''),
      );
  }

  async rollups(filter: UsageRollupQuery): Promise<UsageRollup[]> {
    const sums = new Map<string, { day: string; value: string } & Record<(typeof rollupCounters)[number], number>>();
    for (const delta of this.rollupTotals.values()) {
      if (delta.dimension !== filter.groupBy) continue;
      if (filter.since !== undefined && delta.day < filter.since) continue;
      if (filter.until !== undefined && delta.day > filter.until) continue;
      if (filter.organisationId !== undefined && delta.organisation_id !== filter.organisationId) continue;
      if (filter.workspaceId !== undefined && delta.workspace_id !== filter.workspaceId) continue;
      const mapKey = `${delta.day}\u0000${delta.value}`;
      const sum = sums.get(mapKey) ?? { ...delta, ...Object.fromEntries(rollupCounters.map((counter) => [counter, 0])) };
      for (const counter of rollupCounters) sum[counter] += delta[counter];
      sums.set(mapKey, sum);
    }
    return [...sums.values()]
      .sort((left, right) => compare(left.day, right.day) || compare(left.value, right.value))
      .map((sum) => toUsageRollup(filter.groupBy, sum));
  }

  async prune(olderThan: number, limit = Number.POSITIVE_INFINITY): Promise<number> {
    const doomed = [...this.rows.values()].filter((row) => row.timestamp < olderThan).sort((left, right) => left.timestamp - right.timestamp).slice(0, limit);
    for (const row of doomed) this.rows.delete(row.id);
    return doomed.length;
  }

  async pruneRollups(beforeDay: string): Promise<number> {
    const days = [...this.daily.values(), ...this.rollupTotals.values()].map((entry) => entry.day).filter((day) => day < beforeDay).sort();
    const oldest = days[0];
    if (oldest === undefined) return 0;
    let deleted = 0;
    for (const table of [this.daily, this.rollupTotals] as Array<Map<string, { day: string }>>) {
      for (const [mapKey, entry] of table) {
        if (entry.day === oldest) {
          table.delete(mapKey);
          deleted += 1;
        }
      }
    }
    return deleted;
  }

  private addToRollups(row: LedgerRow): void {
    for (const delta of rollupDeltas([row])) {
      const mapKey = `${delta.dimension}\u0000${delta.day}\u0000${delta.value}\u0000${delta.organisation_id}\u0000${delta.workspace_id}`;
      const total = this.rollupTotals.get(mapKey);
      if (total === undefined) this.rollupTotals.set(mapKey, delta);
      else for (const counter of rollupCounters) total[counter] += delta[counter];
    }
  }

  private addToRollup(row: LedgerRow): void {
    const bucket = rollupKeyOf(row);
    const mapKey = JSON.stringify([bucket.day, bucket.keyId, bucket.model, bucket.provider]);
    let entry = this.daily.get(mapKey);
    if (!entry) {
      entry = { ...bucket, counters: Object.fromEntries(usageCounterColumns.map((column) => [column, 0])) as UsageCounters };
      this.daily.set(mapKey, entry);
    }
    addRowToCounters(entry.counters, row);
  }
}

function toDailyUsage(entry: DailyEntry): DailyUsage {
  const { counters } = entry;
  const usage: DailyUsage = {
    day: entry.day,
    model: entry.model,
    requests: counters.requests,
    errors: counters.errors,
    inputTokens: counters.input_tokens,
    cacheReadTokens: counters.cache_read_tokens,
    cacheWriteTokens: counters.cache_write_tokens,
    outputTokens: counters.output_tokens,
    reasoningTokens: counters.reasoning_tokens,
    costMicros: counters.cost_micros,
  };
  if (entry.keyId !== '') usage.keyId = entry.keyId;
  if (entry.provider !== '') usage.provider = entry.provider;
  return usage;
}

function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
