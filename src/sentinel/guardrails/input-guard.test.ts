import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../spec/index.js';
import { GuardrailDecisions } from './guardrail-decisions.js';
import { GuardrailPolicyResolver } from './guardrail-policy-resolver.js';
import { guardrailsConfigSchema } from './guardrails-config.js';
import { guardInput, isRetrievedName, maskJsonValues } from './input-guard.js';

const clock = { monotonic: () => 0 };

function policyOf(scanners: unknown[]) {
  return new GuardrailPolicyResolver({ guardrails: guardrailsConfigSchema.parse({ scanners }) }).policyFor({})!;
}

const text = (value: string) => [{ type: 'text' as const, text: value }];

describe('guardInput', () => {
  it('masks PII reversibly and secrets and custom matches irreversibly, one vault for the whole request', () => {
    const policy = policyOf([
      { type: 'pii', action: 'mask', channels: ['user', 'history'] },
      { type: 'secrets', action: 'mask' },
      { type: 'custom', action: 'mask', denyLists: [{ id: 'codename', terms: ['blue falcon'] }] },
    ]);
    const request: ChatRequest = {
      model: 'm',
      messages: [
        { role: 'system', content: text('Operator note: ops@example.com') },
        { role: 'user', content: text('I am ann@example.com, key AKIAIOSFODNN7EXAMPLQ, project Blue Falcon.') },
        { role: 'assistant', content: text('Hello ann@example.com!') },
        { role: 'user', content: text('Also cc bob@example.org') },
      ],
    };
    const decisions = new GuardrailDecisions();
    const result = guardInput(request, policy, clock, decisions);
    expect(request.messages.map((message) => (message.content[0] as { text: string }).text)).toEqual([
      'Operator note: ops@example.com',
      'I am [EMAIL_1], key [AWS_ACCESS_KEY_ID_REDACTED], project [CODENAME_REDACTED].',
      'Hello [EMAIL_1]!',
      'Also cc [EMAIL_2]',
    ]);
    expect(result.vault).toEqual({ '[EMAIL_1]': 'ann@example.com', '[EMAIL_2]': 'bob@example.org' });
    expect(decisions.summary()).toBe('pii=masked;secrets=masked;custom=masked');
    expect(JSON.stringify(maskJsonValues({ messages: [{ content: 'I am ann@example.com, key AKIAIOSFODNN7EXAMPLQ' }] }, result.replacements))).toBe(
      '{"messages":[{"content":"I am [EMAIL_1], key [AWS_ACCESS_KEY_ID_REDACTED]"}]}',
    );
  });

  it('stops at the first block and leaves channels a scanner does not watch alone', () => {
    const policy = policyOf([{ type: 'secrets', action: 'block', channels: ['tool'] }]);
    const userOnly: ChatRequest = { model: 'm', messages: [{ role: 'user', content: text('AKIAIOSFODNN7EXAMPLQ') }] };
    expect(guardInput(userOnly, policy, clock, new GuardrailDecisions()).block).toBeUndefined();
    const tool: ChatRequest = { model: 'm', messages: [{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c', content: text('AKIAIOSFODNN7EXAMPLQ') }] }] };
    expect(guardInput(tool, policy, clock, new GuardrailDecisions()).block).toMatchObject({ scanner: 'secrets', channel: 'tool', types: ['aws_access_key_id'] });
  });

  it('recognises the retrieved-context naming convention', () => {
    expect(['retrieved', 'retrieved_wiki', 'Retrieved-doc-3'].map(isRetrievedName)).toEqual([true, true, true]);
    expect(['retriever', 'alice', undefined].map(isRetrievedName)).toEqual([false, false, false]);
  });
});
