import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../spec/index.js';
import { decodeOpenAIChatRequest } from './decode-openai-chat-request.js';

function decodeError(body: unknown): GatewayError {
  try {
    decodeOpenAIChatRequest(body);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected the body to be rejected');
}

const user = { role: 'user', content: 'hi' };

describe('decodeOpenAIChatRequest validation', () => {
  it.each([
    ['a string body', 'hello', 'The request body must be a JSON object', undefined],
    ['an array body', [1], 'The request body must be a JSON object', undefined],
    ['missing model', { messages: [user] }, 'model: required (expected string)', 'model'],
    ['missing messages', { model: 'm' }, 'messages: required (expected array)', 'messages'],
    ['empty messages', { model: 'm', messages: [] }, 'messages: Too small: expected array to have >=1 items', 'messages'],
    ['numeric content', { model: 'm', messages: [user, user, { role: 'user', content: 5 }] }, 'messages[2].content: expected string or array', 'messages[2].content'],
    ['unknown role', { model: 'm', messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role: expected role system, developer, user, assistant, tool or function', 'messages[0].role'],
    ['tool message without id', { model: 'm', messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id: required (expected string)', 'messages[0].tool_call_id'],
    ['unknown part type', { model: 'm', messages: [{ role: 'user', content: [{ type: 'video' }] }] }, 'messages[0].content[0].type: expected a content part of type text, image_url, input_audio or file', 'messages[0].content[0].type'],
    ['temperature as string', { model: 'm', messages: [user], temperature: 'hot' }, 'temperature: expected number, received string', 'temperature'],
    ['temperature too high', { model: 'm', messages: [user], temperature: 3 }, 'temperature: Too big: expected number to be <=2', 'temperature'],
    ['fractional n', { model: 'm', messages: [user], n: 1.5 }, 'n: expected int, received number', 'n'],
    ['stop as number', { model: 'm', messages: [user], stop: 3 }, 'stop: expected string or array of at most 4 strings', 'stop'],
    ['bad response_format', { model: 'm', messages: [user], response_format: { type: 'yaml' } }, 'response_format.type: expected type text, json_object or json_schema', 'response_format.type'],
    ['bad tool_choice', { model: 'm', messages: [user], tool_choice: 'sometimes' }, 'tool_choice: expected "none", "auto", "required" or {"type":"function","function":{"name":...}}', 'tool_choice'],
  ])('rejects %s', (_name, body, message, param) => {
    const error = decodeError(body);
    expect(error.code).toBe('invalid_request');
    expect(error.status).toBe(400);
    expect(error.message).toBe(message);
    expect(error.param).toBe(param);
  });

  it('counts further problems in the message', () => {
    const error = decodeError({ model: 1, messages: 2 });
    expect(error.message).toBe('model: expected string, received number (and 1 more problem)');
  });

  it.each([
    [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }, 'messages[0].content[1]: content parts of type input_audio are not supported'],
    [{ type: 'file', file: { file_id: 'f' } }, 'messages[0].content[1]: content parts of type file are not supported'],
  ])('refuses unsupported content parts with unsupported_parameter', (part, message) => {
    const error = decodeError({ model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }, part] }] });
    expect(error.code).toBe('unsupported_parameter');
    expect(error.message).toBe(message);
    expect(error.param).toBe('messages[0].content[1]');
  });

  it('refuses non-function tools', () => {
    const error = decodeError({ model: 'm', messages: [user], tools: [{ type: 'custom', custom: { name: 'x' } }] });
    expect(error.code).toBe('unsupported_parameter');
    expect(error.param).toBe('tools[0].type');
  });
});

describe('decodeOpenAIChatRequest mapping', () => {
  it('takes max_tokens when max_completion_tokens is absent, and accepts nulls as "not set"', () => {
    const decoded = decodeOpenAIChatRequest({ model: 'm', messages: [user], max_tokens: 20, temperature: null, stop: null, seed: null });
    expect(decoded.request.maxOutputTokens).toBe(20);
    expect(decoded.request).not.toHaveProperty('temperature');
    expect(decoded.request).not.toHaveProperty('stopSequences');
  });

  it('maps tool_choice strings and leaves extraBody out when nothing is unmapped', () => {
    for (const choice of ['none', 'auto', 'required'] as const) {
      const decoded = decodeOpenAIChatRequest({ model: 'm', messages: [user], tool_choice: choice });
      expect(decoded.request.toolChoice).toEqual({ type: choice });
      expect(decoded.request).not.toHaveProperty('extraBody');
    }
  });

  it('keeps every unmapped field unchanged in extraBody', () => {
    const extras = {
      logprobs: true, top_logprobs: 3, logit_bias: { 1: 2 }, service_tier: 'auto', store: true, prediction: { type: 'content', content: 'x' },
      modalities: ['text'], audio: { voice: 'alloy', format: 'mp3' }, web_search_options: {}, verbosity: 'low', brand_new: [null],
    };
    const decoded = decodeOpenAIChatRequest({ model: 'm', messages: [user], ...extras });
    expect(decoded.request.extraBody).toEqual(extras);
  });

  it('maps canonical reasoning efforts and reads include_usage only for streams', () => {
    const decoded = decodeOpenAIChatRequest({ model: 'm', messages: [user], reasoning_effort: 'minimal', stream: true, stream_options: { include_usage: true } });
    expect(decoded.request.reasoningEffort).toBe('minimal');
    expect(decoded.stream).toBe(true);
    expect(decoded.includeUsage).toBe(true);
    expect(decodeOpenAIChatRequest({ model: 'm', messages: [user], stream_options: { include_usage: true } }).includeUsage).toBe(false);
  });

  it('turns assistant refusal parts and reasoning_content into parts', () => {
    const decoded = decodeOpenAIChatRequest({
      model: 'm',
      messages: [user, { role: 'assistant', reasoning_content: 'why', content: [{ type: 'refusal', refusal: 'no' }] }],
    });
    expect(decoded.request.messages[1]).toEqual({ role: 'assistant', content: [{ type: 'reasoning', text: 'why' }, { type: 'text', text: 'no' }] });
  });
});
