import { describe, expect, it } from 'vitest';
import { GatewayError, type ChatRequest } from '../../spec/index.js';
import { buildAnthropicRequest } from './anthropic-request.js';

const defaults = { defaultMaxTokens: 1024, providerOptionsKey: 'anthropic' };
const base: ChatRequest = { model: 'claude-test', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] };
const tool = { name: 'f', parameters: { type: 'object' } };

function build(overrides: Partial<ChatRequest>, stream = false) {
  return buildAnthropicRequest({ ...base, ...overrides }, defaults, stream);
}

function errorOf(action: () => unknown): GatewayError {
  try {
    action();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('buildAnthropicRequest', () => {
  it('sends the minimal body with the default max_tokens, and stream only when streaming', () => {
    expect(build({}).body).toEqual({ model: 'claude-test', max_tokens: 1024, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] });
    expect(build({}, true).body.stream).toBe(true);
    expect(build({ maxOutputTokens: 50 }).body.max_tokens).toBe(50);
  });

  it('refuses n > 1 with unsupported_parameter, and accepts n = 1', () => {
    const error = errorOf(() => build({ n: 2 }));
    expect(error.code).toBe('unsupported_parameter');
    expect(error.param).toBe('n');
    expect(build({ n: 1 }).body).not.toHaveProperty('n');
  });

  it('maps each tool choice', () => {
    expect(build({ tools: [tool], toolChoice: { type: 'auto' } }).body.tool_choice).toEqual({ type: 'auto' });
    expect(build({ tools: [tool], toolChoice: { type: 'none' } }).body.tool_choice).toEqual({ type: 'none' });
    expect(build({ tools: [tool], toolChoice: { type: 'required' } }).body.tool_choice).toEqual({ type: 'any' });
    expect(build({ tools: [tool], toolChoice: { type: 'tool', name: 'f' } }).body.tool_choice).toEqual({ type: 'tool', name: 'f' });
    expect(build({ tools: [tool] }).body).not.toHaveProperty('tool_choice');
  });

  it('rejects a forced tool that is not among the tools', () => {
    const error = errorOf(() => build({ tools: [tool], toolChoice: { type: 'tool', name: 'g' } }));
    expect(error.code).toBe('invalid_request');
    expect(error.param).toBe('tool_choice');
  });

  it('disables parallel tool use on the tool choice (auto when none was given), never with none or without tools', () => {
    expect(build({ tools: [tool], parallelToolCalls: false }).body.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(build({ tools: [tool], toolChoice: { type: 'required' }, parallelToolCalls: false }).body.tool_choice).toEqual({ type: 'any', disable_parallel_tool_use: true });
    expect(build({ tools: [tool], toolChoice: { type: 'none' }, parallelToolCalls: false }).body.tool_choice).toEqual({ type: 'none' });
    expect(build({ parallelToolCalls: false }).body).not.toHaveProperty('tool_choice');
    expect(build({ tools: [tool], parallelToolCalls: true }).body).not.toHaveProperty('tool_choice');
  });

  it('maps tools with description and strict', () => {
    expect(build({ tools: [{ name: 'f', description: 'does f', parameters: { type: 'object' }, strict: true }] }).body.tools).toEqual([
      { name: 'f', description: 'does f', input_schema: { type: 'object' }, strict: true },
    ]);
  });

  it('turns the reasoning budget into thinking, making room in max_tokens only when none was asked for', () => {
    expect(build({ reasoningBudgetTokens: 2000 }).body).toMatchObject({ max_tokens: 3024, thinking: { type: 'enabled', budget_tokens: 2000 } });
    expect(build({ reasoningBudgetTokens: 500 }).body.max_tokens).toBe(1024);
    expect(build({ reasoningBudgetTokens: 2000, maxOutputTokens: 1500 }).body.max_tokens).toBe(1500);
  });

  it('maps reasoning effort to output_config.effort, warning that minimal becomes low', () => {
    expect(build({ reasoningEffort: 'high' }).body.output_config).toEqual({ effort: 'high' });
    const minimal = build({ reasoningEffort: 'minimal' });
    expect(minimal.body.output_config).toEqual({ effort: 'low' });
    expect(minimal.warnings.map((warning) => warning.setting)).toEqual(['reasoning_effort']);
  });

  it('maps a JSON schema to output_config.format and text format to nothing', () => {
    const schema = { type: 'object', properties: { a: { type: 'number' } } };
    expect(build({ responseFormat: { type: 'json-schema', name: 'x', schema } }).body.output_config).toEqual({ format: { type: 'json_schema', schema } });
    const text = build({ responseFormat: { type: 'text' } });
    expect(text.body).not.toHaveProperty('output_config');
    expect(text.warnings).toEqual([]);
  });

  it('asks for JSON in the system prompt when no system message exists', () => {
    const json = build({ responseFormat: { type: 'json' } });
    expect(json.body.system).toBe('Respond only with a single valid JSON value, with no text before or after it.');
    expect(json.warnings).toHaveLength(1);
  });

  it('warns once per unsupported setting and per extra body field, sending none of them', () => {
    const { body, warnings } = build({ seed: 1, frequencyPenalty: 0.1, presencePenalty: 0.2, metadata: { trace: 'x' }, extraBody: { logprobs: true, service: 'y' } });
    expect(warnings.map((warning) => [warning.type, warning.setting])).toEqual([
      ['unsupported-setting', 'seed'],
      ['unsupported-setting', 'frequency_penalty'],
      ['unsupported-setting', 'presence_penalty'],
      ['unsupported-setting', 'metadata'],
      ['unsupported-setting', 'logprobs'],
      ['unsupported-setting', 'service'],
    ]);
    for (const key of ['seed', 'frequency_penalty', 'presence_penalty', 'logprobs', 'service', 'metadata']) expect(body).not.toHaveProperty(key);
  });

  it('sends the user as metadata.user_id, and sampling settings under their wire names', () => {
    expect(build({ user: 'u1', temperature: 0, topP: 0.5, topK: 3, stopSequences: ['x'] }).body).toMatchObject({
      metadata: { user_id: 'u1' },
      temperature: 0,
      top_p: 0.5,
      top_k: 3,
      stop_sequences: ['x'],
    });
    expect(build({ stopSequences: [] }).body).not.toHaveProperty('stop_sequences');
  });

  it('merges only its own provider options into the body, last', () => {
    const { body } = build({
      maxOutputTokens: 10,
      providerOptions: { anthropic: { max_tokens: 20, thinking: { type: 'adaptive' }, cache_control: { type: 'ephemeral' } }, gemini: { safety: 1 } },
    });
    expect(body).toMatchObject({ max_tokens: 20, thinking: { type: 'adaptive' }, cache_control: { type: 'ephemeral' } });
    expect(body).not.toHaveProperty('safety');
  });
});
