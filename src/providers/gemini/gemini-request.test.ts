import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../spec/index.js';
import { buildGeminiRequest } from './gemini-request.js';

const base: ChatRequest = { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] };

describe('buildGeminiRequest', () => {
  it('sends only contents when nothing else is asked for', () => {
    expect(buildGeminiRequest(base)).toEqual({ body: { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] }, warnings: [] });
  });

  it('maps each tool choice', () => {
    const tools = [{ name: 'f', parameters: { type: 'object' } }];
    const config = (toolChoice: ChatRequest['toolChoice']) => buildGeminiRequest({ ...base, tools, toolChoice }).body.toolConfig;
    expect(config({ type: 'auto' })).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
    expect(config({ type: 'none' })).toEqual({ functionCallingConfig: { mode: 'NONE' } });
    expect(config({ type: 'required' })).toEqual({ functionCallingConfig: { mode: 'ANY' } });
    expect(config({ type: 'tool', name: 'f' })).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['f'] } });
    expect(config(undefined)).toBeUndefined();
  });

  it('declares tools with their JSON schema as parametersJsonSchema', () => {
    const parameters = { type: 'object', properties: { q: { type: 'string', format: 'uri' } }, additionalProperties: false };
    const { body } = buildGeminiRequest({ ...base, tools: [{ name: 'search', parameters, strict: true }] });
    expect(body.tools).toEqual([{ functionDeclarations: [{ name: 'search', parametersJsonSchema: parameters }] }]);
  });

  it('asks for JSON with or without a schema', () => {
    expect(buildGeminiRequest({ ...base, responseFormat: { type: 'json' } }).body.generationConfig).toEqual({ responseMimeType: 'application/json' });
    expect(buildGeminiRequest({ ...base, responseFormat: { type: 'text' } }).body.generationConfig).toBeUndefined();
  });

  it('turns a reasoning effort into a thinking budget with thoughts included; an explicit budget wins', () => {
    expect(buildGeminiRequest({ ...base, reasoningEffort: 'low' }).body.generationConfig).toEqual({
      thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
    });
    expect(buildGeminiRequest({ ...base, reasoningEffort: 'high', reasoningBudgetTokens: 0 }).body.generationConfig).toEqual({
      thinkingConfig: { thinkingBudget: 0, includeThoughts: true },
    });
  });

  it('merges providerOptions.gemini: generationConfig into ours, the rest at the top level', () => {
    const { body } = buildGeminiRequest({
      ...base,
      temperature: 0.5,
      providerOptions: {
        gemini: { generationConfig: { responseModalities: ['TEXT'], temperature: 0.1 }, safetySettings: [] },
        openai: { store: true },
      },
    });
    expect(body.generationConfig).toEqual({ temperature: 0.1, responseModalities: ['TEXT'] });
    expect(body.safetySettings).toEqual([]);
    expect(body).not.toHaveProperty('store');
  });

  it('warns once for each setting Gemini cannot honour', () => {
    const { body, warnings } = buildGeminiRequest({
      ...base,
      extraBody: { logprobs: true, user_tier: 'x' },
      parallelToolCalls: false,
      user: 'user-1',
      metadata: { team: 'a' },
    });
    expect(warnings.map((warning) => [warning.type, warning.setting])).toEqual([
      ['unsupported-setting', 'logprobs'],
      ['unsupported-setting', 'user_tier'],
      ['unsupported-setting', 'parallel_tool_calls'],
      ['unsupported-setting', 'user'],
      ['unsupported-setting', 'metadata'],
    ]);
    expect(body).not.toHaveProperty('logprobs');
    expect(buildGeminiRequest({ ...base, parallelToolCalls: true }).warnings).toEqual([]);
  });

  it('leaves out empty stop sequences', () => {
    expect(buildGeminiRequest({ ...base, stopSequences: [] }).body.generationConfig).toBeUndefined();
  });
});
