import { totalInputTokens } from '../../spec/index.js';
import type { EmbedResult } from '../../spec/index.js';

/** What the embeddings encoder needs besides the result. */
export interface EmbedEncodeContext {
  /** The model name the client asked for. */
  model: string;
  encodingFormat: 'float' | 'base64';
}

/** A vector as little-endian float32 bytes in base64: what the openai SDKs decode for `encoding_format: base64`. */
export function encodeEmbeddingBase64(vector: number[]): string {
  const bytes = Buffer.allocUnsafe(vector.length * 4);
  for (let index = 0; index < vector.length; index++) bytes.writeFloatLE(vector[index], index * 4);
  return bytes.toString('base64');
}

/** Encodes canonical embeddings as the OpenAI `list` of `embedding` objects. */
export function encodeOpenAIEmbedResult(result: EmbedResult, context: EmbedEncodeContext): Record<string, unknown> {
  const promptTokens = totalInputTokens(result.usage) ?? 0;
  return {
    object: 'list',
    data: result.embeddings.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: context.encodingFormat === 'base64' ? encodeEmbeddingBase64(vector) : vector,
    })),
    model: context.model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}
