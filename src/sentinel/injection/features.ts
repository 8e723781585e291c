/**
 * Hashed word and character n-gram features (the "hashing trick"): every n-gram is hashed (FNV-1a, 32 bit)
 * into a fixed number of buckets, with a second hash bit choosing the sign so collisions cancel out on
 * average instead of piling up. Values are sign(c) * log(1 + |c|) of the signed bucket count c, L2-normalised, so a long text is not "more
 * attack" just because it has more n-grams.
 */
import type { ScanChannel } from '../scanner.js';

/**
 * Feature domain of a channel. Document-domain texts get every n-gram twice: once shared with prompts and
 * once in a document-only namespace ("frustratingly easy" domain adaptation), so the model can learn that
 * "recommend a good book" is an attack inside a retrieved e-mail without learning that it is one in a chat.
 */
export type FeatureDomain = 'prompt' | 'document';

export function featureDomainOf(channel: ScanChannel): FeatureDomain {
  return channel === 'document' || channel === 'tool' ? 'document' : 'prompt';
}

const documentSalt = 0x2545f491;

export interface FeatureOptions {
  /** log2 of the number of buckets (18 -> 262,144). */
  dimensionBits: number;
  /** Character n-gram sizes, inclusive range. */
  charMin: number;
  charMax: number;
  /** Word n-grams up to this size (1 = unigrams only). */
  wordMax: number;
}

export const defaultFeatureOptions: FeatureOptions = { dimensionBits: 18, charMin: 3, charMax: 5, wordMax: 2 };

/** A sparse, L2-normalised feature vector (indices unique, unsorted). */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

const fnvOffset = 0x811c9dc5;
const fnvPrime = 0x01000193;
// Distinct starting states keep word and character n-grams in different hash "namespaces".
const wordSeed = 0x9e3779b9;

function mix(hash: number, code: number): number {
  return Math.imul(hash ^ code, fnvPrime) >>> 0;
}

/** Final avalanche so low bits (the bucket) and the top bit (the sign) are independent. */
function finalise(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Scratch accumulator shared by all calls (scans are synchronous, so no two extractions interleave):
 * signed counts per bucket plus the list of touched buckets, instead of a Map per call.
 */
class Accumulator {
  counts = new Float64Array(0);
  touched = new Int32Array(1024);
  size = 0;

  reset(dimension: number): void {
    if (this.counts.length !== dimension) this.counts = new Float64Array(dimension);
    this.size = 0;
  }

  add(hash: number, mask: number, document: boolean): void {
    this.addOne(hash, mask);
    if (document) this.addOne(Math.imul(hash ^ documentSalt, fnvPrime) >>> 0, mask);
  }

  private addOne(hash: number, mask: number): void {
    const mixed = finalise(hash);
    const bucket = mixed & mask;
    if (this.counts[bucket] === 0) {
      if (this.size === this.touched.length) {
        const grown = new Int32Array(this.touched.length * 2);
        grown.set(this.touched);
        this.touched = grown;
      }
      this.touched[this.size] = bucket;
      this.size += 1;
    }
    // The top hash bit picks the sign; a bucket whose counts cancel to exactly 0 may be listed twice,
    // which is harmless because its value is 0.
    this.counts[bucket] += mixed & 0x80000000 ? -1 : 1;
  }
}

const accumulator = new Accumulator();

const wordPattern = /[\p{L}\p{N}']+|[^\s\p{L}\p{N}]/gu;

/** Extracts the feature vector of an already-normalised text (see `normalise-text.ts`). */
export function extractFeatures(text: string, options: FeatureOptions = defaultFeatureOptions, domain: FeatureDomain = 'prompt'): SparseVector {
  const mask = (1 << options.dimensionBits) - 1;
  const document = domain === 'document';
  accumulator.reset(mask + 1);
  // Character n-grams, computed incrementally from each start position.
  const padded = ` ${text} `;
  for (let start = 0; start + options.charMin <= padded.length; start += 1) {
    let hash = fnvOffset;
    for (let size = 1; size <= options.charMax && start + size <= padded.length; size += 1) {
      hash = mix(hash, padded.charCodeAt(start + size - 1));
      if (size >= options.charMin) accumulator.add(mix(hash, size), mask, document);
    }
  }
  // Word n-grams.
  const words = text.match(wordPattern) ?? [];
  const wordHashes = words.map((word) => {
    let hash = wordSeed;
    for (let index = 0; index < word.length; index += 1) hash = mix(hash, word.charCodeAt(index));
    return hash;
  });
  for (let start = 0; start < wordHashes.length; start += 1) {
    let hash = wordSeed;
    for (let size = 1; size <= options.wordMax && start + size <= wordHashes.length; size += 1) {
      hash = mix(mix(hash, wordHashes[start + size - 1] & 0xffff), wordHashes[start + size - 1] >>> 16);
      accumulator.add(mix(hash, 100 + size), mask, document);
    }
  }
  const { counts, touched, size } = accumulator;
  const indices = new Int32Array(size);
  const values = new Float32Array(size);
  let norm = 0;
  let length = 0;
  for (let position = 0; position < size; position += 1) {
    const bucket = touched[position];
    const count = counts[bucket];
    counts[bucket] = 0;
    if (count === 0) continue;
    const value = count > 0 ? Math.log1p(count) : -Math.log1p(-count);
    indices[length] = bucket;
    values[length] = value;
    norm += value * value;
    length += 1;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let index = 0; index < length; index += 1) values[index] *= scale;
  return { indices: indices.subarray(0, length), values: values.subarray(0, length) };
}
