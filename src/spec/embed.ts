import type { Usage } from './usage.js';
import type { CallWarning } from './warning.js';

/** An embeddings request in the canonical model. */
export interface EmbedRequest {
  /** The model as the upstream knows it. */
  model: string;
  input: string[];
  dimensions?: number;
  user?: string;
  providerOptions?: Record<string, Record<string, unknown>>;
}

/** Embeddings in input order, as float vectors (dialects encode base64 themselves). */
export interface EmbedResult {
  model?: string;
  embeddings: number[][];
  usage: Usage;
  warnings: CallWarning[];
}
