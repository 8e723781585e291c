import { z } from 'zod';
import { GatewayError, type CallWarning, type EmbedRequest, type EmbedResult } from '../../spec/index.js';
import { convertOpenAIUsage } from './openai-usage.js';

type JsonObject = Record<string, unknown>;

const embeddingListSchema = z.looseObject({
  data: z.array(z.looseObject({ index: z.number().int().nonnegative().optional(), embedding: z.union([z.array(z.number()), z.string()]) })),
  model: z.string().nullish(),
  usage: z.unknown().optional(),
});

/**
 * The `/embeddings` body. Floats are always asked for (the gateway's dialect encodes base64 itself); a
 * client's wish for base64 therefore costs nothing upstream.
 */
export function buildOpenAIEmbeddingsBody(request: EmbedRequest, model: string, providerOptionsKey: string): JsonObject {
  const body: JsonObject = { model, input: request.input, encoding_format: 'float' };
  if (request.dimensions !== undefined) body.dimensions = request.dimensions;
  if (request.user !== undefined) body.user = request.user;
  for (const [key, value] of Object.entries(request.providerOptions?.[providerOptionsKey] ?? {})) {
    if (key !== 'model' && key !== 'input') body[key] = value;
  }
  return body;
}

/** Decodes a base64 embedding: little-endian float32s, as OpenAI sends them. */
export function decodeBase64Embedding(encoded: string): number[] {
  const bytes = Buffer.from(encoded, 'base64');
  const vector: number[] = new Array(Math.floor(bytes.length / 4));
  for (let index = 0; index < vector.length; index++) vector[index] = bytes.readFloatLE(index * 4);
  return vector;
}

/** Converts an embeddings list into an EmbedResult, in input order (by `index`, not arrival order). */
export function convertOpenAIEmbeddings(providerName: string, json: JsonObject, warnings: CallWarning[]): EmbedResult {
  const parsed = embeddingListSchema.safeParse(json);
  if (!parsed.success) throw new GatewayError('upstream_bad_response', `${providerName} returned an embeddings list that does not match its API`);
  const items = parsed.data.data.map((item, position) => ({ index: item.index ?? position, embedding: item.embedding }));
  items.sort((left, right) => left.index - right.index);
  const usage = convertOpenAIUsage(parsed.data.usage) ?? {};
  // Embeddings have no completion: `completion_tokens` is absent, and nothing is cached.
  const result: EmbedResult = {
    embeddings: items.map((item) => (typeof item.embedding === 'string' ? decodeBase64Embedding(item.embedding) : item.embedding)),
    usage,
    warnings,
  };
  if (parsed.data.model) result.model = parsed.data.model;
  return result;
}
