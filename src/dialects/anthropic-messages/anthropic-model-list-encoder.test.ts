import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import { startLoopbackServer } from '../__fixtures__/loopback-server.js';
import { anthropicModelListEncoder } from './anthropic-model-list-encoder.js';

const models = [
  { id: 'claude-sonnet-4-5', ownedBy: 'anthropic', displayName: 'Claude Sonnet 4.5', createdAt: 1759104000 },
  { id: 'fast', ownedBy: 'switchyard' },
];

describe('anthropicModelListEncoder', () => {
  it('encodes a single page with RFC 3339 dates', () => {
    expect(anthropicModelListEncoder.encodeList(models)).toEqual({
      data: [
        { type: 'model', id: 'claude-sonnet-4-5', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' },
        { type: 'model', id: 'fast', display_name: 'fast', created_at: '1970-01-01T00:00:00Z' },
      ],
      has_more: false,
      first_id: 'claude-sonnet-4-5',
      last_id: 'fast',
    });
    expect(anthropicModelListEncoder.encodeList([])).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
  });

  describe('through the SDK', () => {
    let server: Awaited<ReturnType<typeof startLoopbackServer>>;
    beforeAll(async () => {
      server = await startLoopbackServer(() => ({ status: 200, contentType: 'application/json', body: JSON.stringify(anthropicModelListEncoder.encodeList(models)) }));
    });
    afterAll(() => server.close());

    it('pages through models.list', async () => {
      const client = new Anthropic({ apiKey: 'k', baseURL: server.baseUrl, maxRetries: 0 });
      const ids: string[] = [];
      for await (const model of client.models.list()) ids.push(model.id);
      expect(ids).toEqual(['claude-sonnet-4-5', 'fast']);
    });
  });
});
