import type { LedgerRow } from './ledger-row.js';

/** Where the request path hands finished rows: synchronous, never throws, never waits on storage. */
export interface LedgerWriter<Item = LedgerRow> {
  write(row: Item): void;
}
