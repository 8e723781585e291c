import { describe, expect, it } from 'vitest';
import { validateOpenAISchema } from '../../../test/support/openapi-schemas.js';
import { openaiModelListEncoder } from './openai-model-list-encoder.js';

describe('openaiModelListEncoder', () => {
  const models = [
    { id: 'gpt-4o-mini', ownedBy: 'openai', createdAt: 1721172741 },
    { id: 'fast', ownedBy: 'switchyard', displayName: 'Fast group' },
  ];

  it('encodes a list per the spec', () => {
    const list = openaiModelListEncoder.encodeList(models);
    expect(list).toEqual({
      object: 'list',
      data: [
        { id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'openai' },
        { id: 'fast', object: 'model', created: 0, owned_by: 'switchyard' },
      ],
    });
    expect(validateOpenAISchema('ListModelsResponse', list)).toEqual([]);
    expect(validateOpenAISchema('ListModelsResponse', openaiModelListEncoder.encodeList([]))).toEqual([]);
  });

  it('encodes one model per the spec', () => {
    const model = openaiModelListEncoder.encodeModel(models[0]);
    expect(model).toEqual({ id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'openai' });
    expect(validateOpenAISchema('Model', model)).toEqual([]);
  });
});
