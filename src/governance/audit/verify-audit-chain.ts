import type { AuditRecord, AuditVerification } from './audit-log.js';
import { computeAuditHash, genesisAuditHash } from './audit-hash.js';

/** What {@link verifyAuditChain} reads: the stored records and the head the log last wrote. */
export interface AuditChainSource {
  /** The head row as read before the walk: records appended after it are not judged. */
  head: { sequence: number; hash: string };
  /** Every stored record with `sequence <= head.sequence`, in ascending sequence order. */
  records: AsyncIterable<AuditRecord>;
  /** Whether any stored record has this hash (tells a moved record from a broken link). */
  hashExists(hash: string): Promise<boolean>;
}

/**
 * Walks the chain from sequence 1 and stops at the first bad record:
 * - `removed`: a sequence number is missing (in the middle, at the start, or at the tail per the head row);
 * - `reordered`: the record's `previousHash` is another stored record's hash, not its predecessor's (a
 *   record moved to a different sequence);
 * - `broken-link`: the `previousHash` names no stored record (the predecessor was rewritten together with
 *   its hash, or the link itself was edited);
 * - `altered`: the record follows its predecessor but its content no longer matches its hash (or, for the
 *   last record, its hash differs from the one the head row kept: rewritten with a recomputed hash).
 * `records` counts the intact records before the first bad one (all of them when the chain is sound).
 */
export async function verifyAuditChain(source: AuditChainSource): Promise<AuditVerification> {
  let expectedSequence = 1;
  let previousHash = genesisAuditHash;
  let intact = 0;
  const fail = (firstBadSequence: number, reason: Extract<AuditVerification, { ok: false }>['reason']): AuditVerification => ({
    ok: false,
    records: intact,
    firstBadSequence,
    reason,
  });

  for await (const record of source.records) {
    // Records arrive in ascending, unique sequence order, so a jump means the ones in between are gone.
    if (record.sequence !== expectedSequence) return fail(expectedSequence, 'removed');
    if (record.previousHash !== previousHash) {
      return fail(record.sequence, (await source.hashExists(record.previousHash)) ? 'reordered' : 'broken-link');
    }
    if (computeAuditHash(record) !== record.hash) return fail(record.sequence, 'altered');
    previousHash = record.hash;
    expectedSequence += 1;
    intact += 1;
  }

  const lastSequence = expectedSequence - 1;
  if (source.head.sequence > lastSequence) return fail(expectedSequence, 'removed');
  // A head sequence of 0 with a foreign hash means the head row itself was edited; it is reported as 0.
  if (source.head.hash !== previousHash) return fail(lastSequence, 'altered');
  return { ok: true, records: intact, headHash: previousHash };
}
