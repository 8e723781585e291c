import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../spec/index.js';
import { buildOpenAIChatBody, type OpenAIChatBodyOptions } from './openai-chat-body.js';

const openai: OpenAIChatBodyOptions = { providerOptionsKey: 'openai', maxTokensField: 'max_completion_tokens', acceptsTopK: false };
const compatible: OpenAIChatBodyOptions = { providerOptionsKey: 'openai-compatible', maxTokensField: 'max_tokens', acceptsTopK: true };
const base: ChatRequest = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] };

describe('buildOpenAIChatBody', () => {
  it('passes extraBody fields on with one passed-through warning each', () => {
    const { body, warnings } = buildOpenAIChatBody({ ...base, extraBody: { logit_bias: { '50256': -100 }, service_tier: 'flex' } }, 'gpt-4o-mini', false, openai);
    expect(body.logit_bias).toEqual({ '50256': -100 });
    expect(body.service_tier).toBe('flex');
    expect(warnings.map((warning) => [warning.type, warning.setting])).toEqual([
      ['passed-through', 'logit_bias'],
      ['passed-through', 'service_tier'],
    ]);
  });

  it('never lets extraBody replace the fields the gateway owns', () => {
    const { body, warnings } = buildOpenAIChatBody(
      { ...base, extraBody: { model: 'other', stream: false, stream_options: { include_usage: false } } },
      'gpt-4o-mini',
      true,
      openai,
    );
    expect(body.model).toBe('gpt-4o-mini');
    expect(body.stream).toBe(true);
    expect(body.stream_options).toEqual({ include_usage: true });
    expect(warnings.every((warning) => warning.type === 'unsupported-setting')).toBe(true);
    expect(warnings.map((warning) => warning.setting)).toEqual(['model', 'stream', 'stream_options']);
  });

  it('merges only its own providerOptions key, after extraBody, without warnings', () => {
    const { body, warnings } = buildOpenAIChatBody(
      { ...base, extraBody: { store: true }, providerOptions: { openai: { store: false, prediction: { type: 'content', content: 'x' } }, anthropic: { thinking: {} } } },
      'gpt-4o-mini',
      false,
      openai,
    );
    expect(body.store).toBe(false);
    expect(body.prediction).toEqual({ type: 'content', content: 'x' });
    expect(body).not.toHaveProperty('thinking');
    expect(warnings).toHaveLength(1);
  });

  it('warns about top_k and a token reasoning budget where OpenAI has no such field', () => {
    const { body, warnings } = buildOpenAIChatBody({ ...base, topK: 40, reasoningBudgetTokens: 2048 }, 'o3', false, openai);
    expect(body).not.toHaveProperty('top_k');
    expect(warnings.map((warning) => warning.setting)).toEqual(['top_k', 'reasoning_budget_tokens']);
  });

  it('uses max_tokens and top_k for compatible servers', () => {
    const { body, warnings } = buildOpenAIChatBody({ ...base, topK: 40, maxOutputTokens: 64 }, 'llama', false, compatible);
    expect(body).toMatchObject({ top_k: 40, max_tokens: 64 });
    expect(body).not.toHaveProperty('max_completion_tokens');
    expect(warnings).toEqual([]);
  });

  it('drops images from tool results with a warning and joins several text parts as an array', () => {
    const { body, warnings } = buildOpenAIChatBody(
      {
        ...base,
        messages: [
          {
            role: 'tool',
            content: [
              { type: 'tool-result', toolCallId: 'call_1', content: [{ type: 'text', text: 'a' }, { type: 'image', url: 'https://x/y.png' }, { type: 'text', text: 'b' }] },
              { type: 'tool-result', toolCallId: 'call_2', content: [] },
            ],
          },
          { role: 'system', content: [{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }] },
        ],
      },
      'gpt-4o',
      false,
      openai,
    );
    expect(body.messages).toEqual([
      { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
      { role: 'tool', tool_call_id: 'call_2', content: '' },
      { role: 'system', content: [{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }] },
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ type: 'unsupported-setting', setting: 'tool-result.image' });
  });

  it('maps tool choices and a plain text response format', () => {
    const none = buildOpenAIChatBody({ ...base, toolChoice: { type: 'none' }, responseFormat: { type: 'text' } }, 'm', false, openai).body;
    expect(none).toMatchObject({ tool_choice: 'none', response_format: { type: 'text' } });
    expect(buildOpenAIChatBody({ ...base, toolChoice: { type: 'required' } }, 'm', false, openai).body.tool_choice).toBe('required');
  });

  it('sends an image without a media type as PNG', () => {
    const { body } = buildOpenAIChatBody({ ...base, messages: [{ role: 'user', content: [{ type: 'image', data: 'AAAA' }] }] }, 'm', false, openai);
    expect(body.messages).toEqual([{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] }]);
  });
});
