import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../spec/index.js';
import { decodeAnthropicCountTokensRequest, decodeAnthropicMessagesRequest, encodeAnthropicCountTokens } from './decode-anthropic-messages-request.js';

function decodeError(body: unknown, decode = decodeAnthropicMessagesRequest): GatewayError {
  try {
    decode(body);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected the body to be rejected');
}

const user = { role: 'user', content: 'hi' };
const base = { model: 'claude', max_tokens: 10 };

describe('decodeAnthropicMessagesRequest validation', () => {
  it.each([
    ['a non-object body', 42, 'The request body must be a JSON object', undefined],
    ['missing max_tokens', { model: 'claude', messages: [user] }, 'max_tokens: required (expected number)', 'max_tokens'],
    ['missing model', { max_tokens: 5, messages: [user] }, 'model: required (expected string)', 'model'],
    ['messages not an array', { ...base, messages: {} }, 'messages: expected array, received object', 'messages'],
    ['system role in messages', { ...base, messages: [{ role: 'system', content: 'x' }] }, 'messages[0].role: Invalid option: expected one of "user"|"assistant"', 'messages[0].role'],
    ['numeric content', { ...base, messages: [user, { role: 'assistant', content: 1 }] }, 'messages[1].content: expected string or array', 'messages[1].content'],
    ['unknown block', { ...base, messages: [{ role: 'user', content: [{ type: 'video' }] }] }, 'messages[0].content[0].type: expected a content block of type text, image, tool_use, tool_result, thinking or redacted_thinking', 'messages[0].content[0].type'],
    ['text block without text', { ...base, messages: [{ role: 'user', content: [{ type: 'text' }] }] }, 'messages[0].content[0].text: required (expected string)', 'messages[0].content[0].text'],
    ['bad image source', { ...base, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'f' } }] }] }, 'messages[0].content[0].source.type: expected source type base64 or url', 'messages[0].content[0].source.type'],
    ['temperature above 1', { ...base, messages: [user], temperature: 1.5 }, 'temperature: Too big: expected number to be <=1', 'temperature'],
    ['bad tool_choice', { ...base, messages: [user], tool_choice: { type: 'sometimes' } }, 'tool_choice.type: expected type auto, any, none or tool', 'tool_choice.type'],
    ['thinking without budget', { ...base, messages: [user], thinking: { type: 'enabled' } }, 'thinking.budget_tokens: required (expected number)', 'thinking.budget_tokens'],
    ['tool without input_schema', { ...base, messages: [user], tools: [{ name: 'f' }] }, 'tools[0].input_schema: required (expected object)', 'tools[0].input_schema'],
    ['tool_use in a user turn', { ...base, messages: [{ role: 'user', content: [{ type: 'tool_use', id: 'a', name: 'b', input: {} }] }] }, 'messages[0].content[0].type: a tool_use block cannot appear in user messages', 'messages[0].content[0].type'],
    ['tool_result in an assistant turn', { ...base, messages: [{ role: 'assistant', content: [{ type: 'tool_result', tool_use_id: 'a' }] }] }, 'messages[0].content[0].type: a tool_result block cannot appear in assistant messages', 'messages[0].content[0].type'],
  ])('rejects %s', (_name, body, message, param) => {
    const error = decodeError(body);
    expect(error.code).toBe('invalid_request');
    expect(error.message).toBe(message);
    expect(error.param).toBe(param);
  });

  it.each([
    [{ ...base, messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'text', data: 'x', media_type: 'text/plain' } }] }] }, 'messages[0].content[0].type'],
    [{ ...base, messages: [user], tools: [{ type: 'web_search_20250305', name: 'web_search' }] }, 'tools[0].type'],
  ])('refuses what the canonical model cannot carry with unsupported_parameter (%#)', (body, param) => {
    const error = decodeError(body);
    expect(error.code).toBe('unsupported_parameter');
    expect(error.param).toBe(param);
  });
});

describe('decodeAnthropicMessagesRequest mapping', () => {
  it('maps tool_choice values', () => {
    const choice = (tool_choice: unknown) => decodeAnthropicMessagesRequest({ ...base, messages: [user], tool_choice }).request;
    expect(choice({ type: 'auto' })).toMatchObject({ toolChoice: { type: 'auto' } });
    expect(choice({ type: 'auto' })).not.toHaveProperty('parallelToolCalls');
    expect(choice({ type: 'none' })).toMatchObject({ toolChoice: { type: 'none' } });
    expect(choice({ type: 'tool', name: 'f', disable_parallel_tool_use: true })).toMatchObject({ toolChoice: { type: 'tool', name: 'f' }, parallelToolCalls: false });
  });

  it('puts a tool_result after text into its own tool message, keeping order', () => {
    const decoded = decodeAnthropicMessagesRequest({
      ...base,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'tool_result', tool_use_id: 't', content: 'r' }, { type: 'text', text: 'b' }] }],
    });
    expect(decoded.request.messages.map((message) => message.role)).toEqual(['user', 'tool', 'user']);
  });

  it('passes adaptive thinking, unknown output_config keys and unknown fields through extraBody', () => {
    const decoded = decodeAnthropicMessagesRequest({ ...base, messages: [user], thinking: { type: 'adaptive' }, output_config: { effort: 'low', task_budget: 3 }, mcp_servers: [] });
    expect(decoded.request.reasoningEffort).toBe('low');
    expect(decoded.request.extraBody).toEqual({ thinking: { type: 'adaptive' }, output_config: { task_budget: 3 }, mcp_servers: [] });
    expect(decoded.stream).toBe(false);
  });

  it('drops disabled thinking without a trace and streams always include usage', () => {
    const decoded = decodeAnthropicMessagesRequest({ ...base, messages: [user], thinking: { type: 'disabled' }, stream: true });
    expect(decoded.request).not.toHaveProperty('extraBody');
    expect(decoded.request).not.toHaveProperty('reasoningBudgetTokens');
    expect(decoded.includeUsage).toBe(true);
  });
});

describe('count_tokens', () => {
  it('accepts a body without max_tokens and decodes the same way', () => {
    const decoded = decodeAnthropicCountTokensRequest({ model: 'claude', system: 'S', messages: [user] });
    expect(decoded.request).toEqual({
      model: 'claude',
      messages: [{ role: 'system', content: [{ type: 'text', text: 'S' }] }, { role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    });
    expect(decodeError({ messages: [user] }, decodeAnthropicCountTokensRequest).message).toBe('model: required (expected string)');
  });

  it('encodes the answer', () => {
    expect(encodeAnthropicCountTokens(42)).toEqual({ input_tokens: 42 });
  });
});
