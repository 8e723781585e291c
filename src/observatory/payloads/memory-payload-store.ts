import { searchWordsOf } from '../ledger-row.js';
import { requestOf, type CapturedRequest, type PayloadStore, type StoredPayload } from './payload-store.js';

/** Payloads in process memory (tests, and the memory ledger's free-text and metadata filters). */
export class MemoryPayloadStore implements PayloadStore {
  private readonly payloads = new Map<string, CapturedRequest & { words: Set<string> }>();
  private readonly metadata = new Map<string, { timestamp: number; pairs: Record<string, string> }>();

  async append(captures: CapturedRequest[]): Promise<void> {
    for (const capture of captures) {
      // Already stored (a retried batch): as in SQL, the first write wins.
      if (this.payloads.has(capture.requestId) || this.metadata.has(capture.requestId)) continue;
      if (Object.keys(capture.metadata).length > 0) this.metadata.set(capture.requestId, { timestamp: capture.timestamp, pairs: { ...capture.metadata } });
      if (capture.mode !== 'metadata') this.payloads.set(capture.requestId, { ...capture, words: new Set(searchWordsOf(capture.searchText ?? '')) });
    }
  }

  async get(requestId: string): Promise<StoredPayload | undefined> {
    const capture = this.payloads.get(requestId);
    if (capture === undefined) return undefined;
    const payload: StoredPayload = {
      requestId,
      timestamp: capture.timestamp,
      mode: capture.mode,
      requestBytes: capture.requestBytes,
      responseBytes: capture.responseBytes,
      messageCount: capture.messageCount,
      truncated: capture.truncated,
    };
    if (capture.requestText !== undefined) payload.request = requestOf(capture.requestText);
    if (capture.responseText !== undefined) payload.response = { text: capture.responseText };
    return payload;
  }

  async metadataOf(requestId: string): Promise<Record<string, string>> {
    return { ...(this.metadata.get(requestId)?.pairs ?? {}) };
  }

  async prune(olderThan: number, limit?: number): Promise<number> {
    return pruneOldest(this.payloads, olderThan, limit);
  }

  /** Counts pairs, as the SQL store counts its rows. */
  async pruneMetadata(olderThan: number, limit?: number): Promise<number> {
    const before = [...this.metadata.values()].reduce((sum, entry) => sum + Object.keys(entry.pairs).length, 0);
    pruneOldest(this.metadata, olderThan, limit);
    return before - [...this.metadata.values()].reduce((sum, entry) => sum + Object.keys(entry.pairs).length, 0);
  }

  /** True when every word of the search occurs in the request's stored text (the memory ledger's `text` filter). */
  matchesText(requestId: string, words: readonly string[]): boolean {
    const stored = this.payloads.get(requestId)?.words;
    return stored !== undefined && words.every((word) => stored.has(word));
  }

  /** True when the request's metadata holds every pair (the memory ledger's `metadata` filter). */
  matchesMetadata(requestId: string, pairs: Readonly<Record<string, string>>): boolean {
    const stored = this.metadata.get(requestId)?.pairs;
    return stored !== undefined && Object.entries(pairs).every(([name, value]) => Object.hasOwn(stored, name) && stored[name] === value);
  }
}

function pruneOldest(entries: Map<string, { timestamp: number }>, olderThan: number, limit = Number.POSITIVE_INFINITY): number {
  const expired = [...entries].filter(([, entry]) => entry.timestamp < olderThan).sort((left, right) => left[1].timestamp - right[1].timestamp);
  const doomed = expired.slice(0, limit);
  for (const [id] of doomed) entries.delete(id);
  return doomed.length;
}
