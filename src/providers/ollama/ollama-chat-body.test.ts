import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../spec/index.js';
import { buildOllamaChatBody } from './ollama-chat-body.js';

const base: ChatRequest = { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] };
const tool = { name: 'f', parameters: { type: 'object', properties: {} } };

describe('buildOllamaChatBody', () => {
  it('sends no options object when no option was asked for', () => {
    expect(buildOllamaChatBody(base, true, {})).toEqual({ body: { model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true }, warnings: [] });
  });

  it('refuses n > 1 and accepts n = 1', () => {
    expect(() => buildOllamaChatBody({ ...base, n: 2 }, false, {})).toThrow(expect.objectContaining({ code: 'unsupported_parameter', param: 'n' }));
    expect(buildOllamaChatBody({ ...base, n: 1 }, false, {}).warnings).toEqual([]);
  });

  it('honours toolChoice none by not offering tools, and warns for choices Ollama cannot force', () => {
    expect(buildOllamaChatBody({ ...base, tools: [tool], toolChoice: { type: 'none' } }, false, {})).toMatchObject({ warnings: [] });
    expect(buildOllamaChatBody({ ...base, tools: [tool], toolChoice: { type: 'none' } }, false, {}).body.tools).toBeUndefined();
    for (const toolChoice of [{ type: 'required' }, { type: 'tool', name: 'f' }] as const) {
      const { body, warnings } = buildOllamaChatBody({ ...base, tools: [tool], toolChoice }, false, {});
      expect(body.tools).toEqual([{ type: 'function', function: { name: 'f', parameters: tool.parameters } }]);
      expect(warnings.map((warning) => warning.setting)).toEqual(['toolChoice']);
    }
    expect(buildOllamaChatBody({ ...base, tools: [tool], parallelToolCalls: false }, false, {}).warnings.map((warning) => warning.setting)).toEqual(['parallelToolCalls']);
  });

  it('maps reasoning settings to think', () => {
    expect(buildOllamaChatBody({ ...base, reasoningEffort: 'low' }, false, {}).body.think).toBe('low');
    const minimal = buildOllamaChatBody({ ...base, reasoningEffort: 'minimal' }, false, {});
    expect(minimal.body.think).toBe('low');
    expect(minimal.warnings.map((warning) => warning.setting)).toEqual(['reasoningEffort']);
    const budget = buildOllamaChatBody({ ...base, reasoningBudgetTokens: 2048 }, false, {});
    expect(budget.body.think).toBe(true);
    expect(budget.warnings.map((warning) => warning.setting)).toEqual(['reasoningBudgetTokens']);
    expect(buildOllamaChatBody(base, false, {}).body.think).toBeUndefined();
  });

  it('maps response formats', () => {
    expect(buildOllamaChatBody({ ...base, responseFormat: { type: 'json' } }, false, {}).body.format).toBe('json');
    expect(buildOllamaChatBody({ ...base, responseFormat: { type: 'text' } }, false, {}).body.format).toBeUndefined();
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    expect(buildOllamaChatBody({ ...base, responseFormat: { type: 'json-schema', name: 'a', schema } }, false, {}).body.format).toEqual(schema);
  });

  it('merges providerOptions.ollama: top-level fields at the top, the rest (and `options`) into options, over the canonical values', () => {
    const { body } = buildOllamaChatBody(
      { ...base, temperature: 0.1, reasoningEffort: 'high', providerOptions: { ollama: { think: false, keep_alive: -1, num_ctx: 4096, options: { temperature: 0.9, repeat_penalty: 1.1 }, logprobs: true }, anthropic: { thinking: {} } } },
      false,
      { keepAlive: '5m' },
    );
    expect(body).toMatchObject({ think: false, keep_alive: -1, logprobs: true, options: { temperature: 0.9, num_ctx: 4096, repeat_penalty: 1.1 } });
  });

  it('warns about settings it cannot send', () => {
    const { body, warnings } = buildOllamaChatBody({ ...base, user: 'u1', metadata: { a: 'b' }, extraBody: { logit_bias: {}, store: true } }, false, { keepAlive: '1h' });
    expect(warnings.map((warning) => warning.setting)).toEqual(['user', 'metadata', 'logit_bias', 'store']);
    expect(warnings.every((warning) => warning.type === 'unsupported-setting')).toBe(true);
    expect(body).toEqual({ model: 'm', messages: [{ role: 'user', content: 'hi' }], keep_alive: '1h', stream: false });
  });
});
