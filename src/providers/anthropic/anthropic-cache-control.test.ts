import { describe, expect, it } from 'vitest';
import { GatewayError, type ChatRequest } from '../../spec/index.js';
import type { AnthropicCacheControlMarker } from './anthropic-cache-control.js';
import { buildAnthropicRequest } from './anthropic-request.js';

const defaults = { defaultMaxTokens: 1024, providerOptionsKey: 'anthropic' };
const ephemeral = { type: 'ephemeral' };
const hour = { type: 'ephemeral', ttl: '1h' };

// The canonical form of an Anthropic request with system blocks, a tool round trip and a tool.
const conversation: ChatRequest = {
  model: 'claude-test',
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'You are terse.' }, { type: 'text', text: 'Long reference document.' }] },
    { role: 'user', content: [{ type: 'text', text: 'Look it up' }, { type: 'text', text: 'please' }] },
    { role: 'assistant', content: [{ type: 'text', text: 'Looking.' }, { type: 'tool-call', id: 'call-1', name: 'lookup', arguments: '{"q":"x"}' }] },
    { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call-1', content: [{ type: 'text', text: 'found' }] }] },
    { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
  ],
  tools: [
    { name: 'lookup', parameters: { type: 'object' } },
    { name: 'fetch', parameters: { type: 'object' } },
  ],
};

function build(markers: unknown, overrides: Partial<ChatRequest> = {}) {
  return buildAnthropicRequest({ ...conversation, ...overrides, providerOptions: { anthropic: { cacheControl: markers } } }, defaults, false);
}

describe('Anthropic prompt caching markers', () => {
  it('puts each marker on the block, system block and tool it came from, and never sends the markers themselves', () => {
    const markers: AnthropicCacheControlMarker[] = [
      { target: 'message', messageIndex: 0, partIndex: 1, cacheControl: hour },
      { target: 'message', messageIndex: 1, partIndex: 0, cacheControl: ephemeral },
      { target: 'message', messageIndex: 2, partIndex: 1, cacheControl: ephemeral },
      { target: 'message', messageIndex: 3, partIndex: 0, cacheControl: ephemeral },
      { target: 'tool', toolIndex: 1, cacheControl: ephemeral },
    ];
    const { body, warnings } = build(markers);
    expect(warnings).toEqual([]);
    expect(body).not.toHaveProperty('cacheControl');
    expect(body.system).toEqual([
      { type: 'text', text: 'You are terse.' },
      { type: 'text', text: 'Long reference document.', cache_control: hour },
    ]);
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Look it up', cache_control: ephemeral }, { type: 'text', text: 'please' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Looking.' },
          { type: 'tool_use', id: 'call-1', name: 'lookup', input: { q: 'x' }, cache_control: ephemeral },
        ],
      },
      // The tool message and the next user message merge into one user turn; the marker stays on its block.
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call-1', content: [{ type: 'text', text: 'found' }], cache_control: ephemeral },
          { type: 'text', text: 'Thanks' },
        ],
      },
    ]);
    expect(body.tools).toEqual([
      { name: 'lookup', input_schema: { type: 'object' } },
      { name: 'fetch', input_schema: { type: 'object' }, cache_control: ephemeral },
    ]);
  });

  it('keeps the system prompt a string when no system block is marked', () => {
    const { body } = build([{ target: 'message', messageIndex: 4, partIndex: 0, cacheControl: ephemeral }]);
    expect(body.system).toBe('You are terse.Long reference document.');
    expect((body.messages as Array<{ content: unknown[] }>)[2].content[1]).toEqual({ type: 'text', text: 'Thanks', cache_control: ephemeral });
  });

  it('appends the JSON-mode instruction as one more system block after the marked ones', () => {
    const { body } = build([{ target: 'message', messageIndex: 0, partIndex: 0, cacheControl: ephemeral }], { responseFormat: { type: 'json' } });
    const system = body.system as Array<Record<string, unknown>>;
    expect(system).toHaveLength(3);
    expect(system[0]).toEqual({ type: 'text', text: 'You are terse.', cache_control: ephemeral });
    expect(system[2]).toMatchObject({ type: 'text', text: expect.stringContaining('JSON') });
    expect(system[2]).not.toHaveProperty('cache_control');
  });

  it('warns about markers that match no block instead of losing them silently', () => {
    const { body, warnings } = build(
      [
        { target: 'message', messageIndex: 2, partIndex: 0, cacheControl: ephemeral },
        { target: 'message', messageIndex: 9, partIndex: 0, cacheControl: ephemeral },
        { target: 'tool', toolIndex: 5, cacheControl: ephemeral },
      ],
      {
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
          { role: 'assistant', content: [{ type: 'text', text: '' }, { type: 'tool-call', id: 'c', name: 'lookup', arguments: '{}' }] },
        ],
      },
    );
    expect(JSON.stringify(body)).not.toContain('cache_control');
    expect(warnings.map((warning) => [warning.setting, warning.message])).toEqual([
      ['cache_control', 'cache_control on messages[2].content[0] matches no block sent to Anthropic; it was not sent'],
      ['cache_control', 'cache_control on messages[9].content[0] matches no block sent to Anthropic; it was not sent'],
      ['cache_control', 'cache_control on tools[5] matches no tool sent to Anthropic; it was not sent'],
    ]);
  });

  it('still passes the other anthropic provider options on as body fields', () => {
    const { body } = buildAnthropicRequest(
      { ...conversation, providerOptions: { anthropic: { cacheControl: [], service_tier: 'auto' }, openai: { cacheControl: 'not ours' } } },
      defaults,
      false,
    );
    expect(body.service_tier).toBe('auto');
    expect(body).not.toHaveProperty('cacheControl');
    expect(typeof body.system).toBe('string');
  });

  it('rejects malformed markers with invalid_request naming the option', () => {
    for (const markers of ['ephemeral', [{ target: 'message', messageIndex: -1, partIndex: 0, cacheControl: ephemeral }], [{ target: 'block', cacheControl: ephemeral }]]) {
      let caught: unknown;
      try {
        build(markers);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(GatewayError);
      expect((caught as GatewayError).code).toBe('invalid_request');
      expect((caught as GatewayError).param).toBe('providerOptions.anthropic.cacheControl');
    }
  });
});
