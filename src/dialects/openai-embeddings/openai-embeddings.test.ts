import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { GatewayError } from '../../spec/index.js';
import { validateOpenAISchema } from '../../../test/support/openapi-schemas.js';
import { startLoopbackServer } from '../__fixtures__/loopback-server.js';
import { decodeOpenAIEmbedRequest } from './decode-openai-embed-request.js';
import { encodeEmbeddingBase64, encodeOpenAIEmbedResult } from './encode-openai-embed-result.js';

function decodeError(body: unknown): GatewayError {
  try {
    decodeOpenAIEmbedRequest(body);
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected a rejection');
}

describe('decodeOpenAIEmbedRequest', () => {
  it('decodes a single string with defaults', () => {
    expect(decodeOpenAIEmbedRequest({ model: 'text-embedding-3-small', input: 'hello' })).toEqual({
      model: 'text-embedding-3-small',
      request: { model: 'text-embedding-3-small', input: ['hello'] },
      encodingFormat: 'float',
    });
  });

  it('decodes arrays, base64, dimensions and user', () => {
    expect(decodeOpenAIEmbedRequest({ model: 'm', input: ['a', 'b'], encoding_format: 'base64', dimensions: 256, user: 'u' })).toEqual({
      model: 'm',
      request: { model: 'm', input: ['a', 'b'], dimensions: 256, user: 'u' },
      encodingFormat: 'base64',
    });
  });

  it.each([
    [[1, 2, 3]],
    [[[1, 2], [3]]],
  ])('refuses token arrays %j with unsupported_parameter', (input) => {
    const error = decodeError({ model: 'm', input });
    expect(error.code).toBe('unsupported_parameter');
    expect(error.param).toBe('input');
  });

  it.each([
    ['not an object', 'x', 'The request body must be a JSON object'],
    ['missing input', { model: 'm' }, 'input: expected string, array of strings, or token arrays'],
    ['wrong input type', { model: 'm', input: { a: 1 } }, 'input: expected string, array of strings, or token arrays'],
    ['empty input', { model: 'm', input: [] }, 'input: must not be empty'],
    ['bad encoding', { model: 'm', input: 'x', encoding_format: 'int8' }, 'encoding_format: Invalid option: expected one of "float"|"base64"'],
    ['bad dimensions', { model: 'm', input: 'x', dimensions: 0 }, 'dimensions: Too small: expected number to be >0'],
    ['missing model', { input: 'x' }, 'model: required (expected string)'],
  ])('rejects %s', (_name, body, message) => {
    const error = decodeError(body);
    expect(error.code).toBe('invalid_request');
    expect(error.message).toBe(message);
  });
});

describe('encodeOpenAIEmbedResult', () => {
  const result = { embeddings: [[0.5, -1.25, 3], [0.1, 0.2, 0.3]], usage: { inputTokens: 7 }, warnings: [] };

  it('encodes floats per the spec', () => {
    const encoded = encodeOpenAIEmbedResult(result, { model: 'emb', encodingFormat: 'float' });
    expect(encoded).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [0.5, -1.25, 3] },
        { object: 'embedding', index: 1, embedding: [0.1, 0.2, 0.3] },
      ],
      model: 'emb',
      usage: { prompt_tokens: 7, total_tokens: 7 },
    });
    expect(validateOpenAISchema('CreateEmbeddingResponse', encoded)).toEqual([]);
  });

  it('encodes base64 as little-endian float32', () => {
    expect(encodeEmbeddingBase64([1, -2])).toBe(Buffer.from([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]).toString('base64'));
  });

  describe('through the openai SDK', () => {
    let server: Awaited<ReturnType<typeof startLoopbackServer>>;
    beforeAll(async () => {
      server = await startLoopbackServer(() => {
        const request = decodeOpenAIEmbedRequest(server.requests.at(-1));
        const body = encodeOpenAIEmbedResult(result, { model: request.model, encodingFormat: request.encodingFormat });
        return { status: 200, contentType: 'application/json', body: JSON.stringify(body) };
      });
    });
    afterAll(() => server.close());

    it('decodes our base64 (its default) back to the same float32 values', async () => {
      const client = new OpenAI({ apiKey: 'k', baseURL: `${server.baseUrl}/v1`, maxRetries: 0 });
      const response = await client.embeddings.create({ model: 'emb', input: ['a', 'b'] });
      expect((server.requests.at(-1) as { encoding_format: string }).encoding_format).toBe('base64');
      expect(response.data[0].embedding).toEqual([0.5, -1.25, 3]);
      expect(response.data[1].embedding).toEqual(Array.from(new Float32Array([0.1, 0.2, 0.3])));
      const floats = await client.embeddings.create({ model: 'emb', input: 'a', encoding_format: 'float' });
      expect(floats.data[1].embedding).toEqual([0.1, 0.2, 0.3]);
    });
  });
});
