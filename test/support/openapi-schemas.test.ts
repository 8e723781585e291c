import { describe, expect, it } from 'vitest';
import { validateOllamaSchema, validateOpenAISchema } from './openapi-schemas.js';

describe('validateOpenAISchema', () => {
  it('accepts a full error and rejects one without param/code', () => {
    expect(validateOpenAISchema('ErrorResponse', { error: { message: 'm', type: 't', param: null, code: null } })).toEqual([]);
    const errors = validateOpenAISchema('ErrorResponse', { error: { message: 'm', type: 't' } });
    expect(errors).toContain(`/error must have required property 'param' {"missingProperty":"param"}`);
  });

  it('treats the nullable $ref `usage` of a stream chunk as "object or null"', () => {
    const chunk = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: null };
    expect(validateOpenAISchema('CreateChatCompletionStreamResponse', chunk)).toEqual([]);
    expect(validateOpenAISchema('CreateChatCompletionStreamResponse', { ...chunk, usage: 'x' })).not.toEqual([]);
    expect(validateOpenAISchema('CreateChatCompletionStreamResponse', { ...chunk, object: 'chat.completion' })).not.toEqual([]);
  });

  it('throws for an unknown schema name', () => {
    expect(() => validateOpenAISchema('NoSuchSchema', {})).toThrow(/No schema named NoSuchSchema/);
  });
});

describe('validateOllamaSchema', () => {
  it('validates chat responses and errors', () => {
    expect(validateOllamaSchema('ChatResponse', { model: 'm', created_at: '2026-01-01T00:00:00Z', message: { role: 'assistant', content: 'x' }, done: true })).toEqual([]);
    expect(validateOllamaSchema('ChatResponse', { done: 'yes' })).not.toEqual([]);
    expect(validateOllamaSchema('ErrorResponse', { error: 42 })).not.toEqual([]);
  });
});
