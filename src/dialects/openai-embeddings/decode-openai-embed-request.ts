import { GatewayError } from '../../spec/index.js';
import type { EmbedRequest } from '../../spec/index.js';
import type { DecodedEmbedRequest } from '../dialect.js';
import { assertJsonObject, toInvalidRequestError } from '../../kit/validation-error.js';
import { openAIEmbedRequestSchema } from './openai-embeddings-request-schema.js';

/**
 * Decodes an OpenAI embeddings body. Token-id inputs are refused: the gateway routes to providers with
 * different tokenizers, so token ids would mean different text upstream.
 */
export function decodeOpenAIEmbedRequest(body: unknown): DecodedEmbedRequest {
  assertJsonObject(body);
  const parsed = openAIEmbedRequestSchema.safeParse(body);
  if (!parsed.success) throw toInvalidRequestError(parsed.error);
  const value = parsed.data;
  const input = typeof value.input === 'string' ? [value.input] : value.input;
  if (input.length === 0) throw new GatewayError('invalid_request', 'input: must not be empty', { param: 'input' });
  if (!input.every((item): item is string => typeof item === 'string')) {
    throw new GatewayError('unsupported_parameter', 'input: token arrays are not supported; send text', { param: 'input' });
  }
  const request: EmbedRequest = { model: value.model, input };
  if (value.dimensions !== undefined) request.dimensions = value.dimensions;
  if (value.user !== undefined) request.user = value.user;
  return { model: value.model, request, encodingFormat: value.encoding_format ?? 'float' };
}
