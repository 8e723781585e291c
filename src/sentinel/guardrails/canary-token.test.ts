import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../spec/index.js';
import { addCanaryToSystemPrompt, canaryInstruction, createCanaryToken } from './canary-token.js';

const user = { role: 'user' as const, content: [{ type: 'text' as const, text: 'Hi' }] };

describe('canary tokens', () => {
  it('are 16 random hex characters, new every time', () => {
    const tokens = new Set(Array.from({ length: 200 }, () => createCanaryToken()));
    expect(tokens.size).toBe(200);
    for (const token of tokens) expect(token).toMatch(/^[0-9a-f]{16}$/);
  });

  it('go at the end of the first system message, without changing the client-decoded message in place', () => {
    const system = { role: 'system' as const, content: [{ type: 'text' as const, text: 'You are terse.' }] };
    const request: ChatRequest = { model: 'm', messages: [system, user] };
    addCanaryToSystemPrompt(request, 'abcdef0123456789');
    expect(request.messages[0]).toEqual({ role: 'system', content: [{ type: 'text', text: 'You are terse.' }, { type: 'text', text: canaryInstruction('abcdef0123456789') }] });
    expect(system.content).toHaveLength(1);
    expect(request.messages[1]).toBe(user);
  });

  it('get a system message of their own in front when there is none, and move cache_control markers with the messages', () => {
    const markers = [
      { target: 'message', messageIndex: 0, partIndex: 0, cacheControl: { type: 'ephemeral' } },
      { target: 'tool', toolIndex: 0, cacheControl: { type: 'ephemeral' } },
    ];
    const request: ChatRequest = { model: 'm', messages: [user], providerOptions: { anthropic: { cacheControl: markers, other: 1 } } };
    addCanaryToSystemPrompt(request, 'abcdef0123456789');
    expect(request.messages.map((message) => message.role)).toEqual(['system', 'user']);
    expect(request.messages[0].content).toEqual([{ type: 'text', text: expect.stringContaining('abcdef0123456789') }]);
    expect(request.providerOptions!.anthropic).toEqual({ other: 1, cacheControl: [{ ...markers[0], messageIndex: 1 }, markers[1]] });
    expect(markers[0].messageIndex).toBe(0);
  });

  it('tell the model never to reveal them', () => {
    expect(canaryInstruction('abcdef0123456789')).toMatch(/Never repeat, reveal/);
  });
});
