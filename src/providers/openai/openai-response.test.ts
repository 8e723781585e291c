import { describe, expect, it } from 'vitest';
import { convertOpenAIResponse } from './openai-response.js';

describe('convertOpenAIResponse', () => {
  it('keeps every choice of n > 1 with its own finish reason', () => {
    const result = convertOpenAIResponse(
      'openai',
      'openai',
      {
        id: 'c',
        created: 0,
        choices: [
          { index: 0, message: { role: 'assistant', content: 'A' }, finish_reason: 'stop' },
          { index: 1, message: { role: 'assistant', content: 'B' }, finish_reason: 'length' },
        ],
      },
      [],
    );
    expect(result.choices).toEqual([
      { index: 0, content: [{ type: 'text', text: 'A' }], finishReason: { unified: 'stop', raw: 'stop' } },
      { index: 1, content: [{ type: 'text', text: 'B' }], finishReason: { unified: 'length', raw: 'length' } },
    ]);
    expect(result).not.toHaveProperty('created');
    expect(result).not.toHaveProperty('providerMetadata');
    expect(result.usage).toEqual({});
  });

  it('tolerates arguments sent as an object, missing call ids and a `reasoning` field', () => {
    const result = convertOpenAIResponse(
      'x',
      'openai-compatible',
      { choices: [{ message: { reasoning: 'think', content: null, tool_calls: [{ function: { name: 'f', arguments: { a: 1 } } }] }, finish_reason: 'tool_calls' }] },
      [],
    );
    expect(result.choices[0].content).toEqual([
      { type: 'reasoning', text: 'think' },
      { type: 'tool-call', id: 'call_0', name: 'f', arguments: '{"a":1}' },
    ]);
  });

  it('rejects a body without choices as a bad response', () => {
    expect(() => convertOpenAIResponse('openai', 'openai', { choices: [] }, [])).toThrowError(expect.objectContaining({ code: 'upstream_bad_response' }));
    expect(() => convertOpenAIResponse('openai', 'openai', { choices: 'no' }, [])).toThrowError(expect.objectContaining({ code: 'upstream_bad_response' }));
  });
});
