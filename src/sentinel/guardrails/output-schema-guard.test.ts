import { describe, expect, it } from 'vitest';
import { GatewayError, type ChatRequest, type ChatResult } from '../../spec/index.js';
import { GuardrailDecisions } from './guardrail-decisions.js';
import type { PolicySchemaCheck } from './guardrail-policy.js';
import { activeSchemaChecks, enforceSchemaChecks, type SchemaEnforcement } from './output-schema-guard.js';

const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };
const request: ChatRequest = { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'ok?' }] }], responseFormat: { type: 'json-schema', name: 'ok', schema } };
const check = (action: 'block' | 'flag'): PolicySchemaCheck => ({ name: 'json_schema', action, reask: true, failMode: 'open' });

function answer(...texts: string[]): ChatResult {
  return {
    choices: texts.map((text, index) => ({ index, content: [{ type: 'text', text }], finishReason: { unified: 'stop' } })),
    usage: { inputTokens: 7, outputTokens: 3, cacheReadTokens: 2 },
    warnings: [],
  };
}

function enforcement(action: 'block' | 'flag', overrides: Partial<SchemaEnforcement> = {}): SchemaEnforcement & { decisions: GuardrailDecisions; reasks: ChatRequest[] } {
  const decisions = new GuardrailDecisions();
  const reasks: ChatRequest[] = [];
  return {
    checks: activeSchemaChecks([check(action)], request.responseFormat, decisions),
    request,
    decisions,
    reasks,
    reask: async (reasked) => {
      reasks.push(reasked);
      return answer('{"ok": true}');
    },
    screen: () => undefined,
    aborted: () => false,
    ...overrides,
  };
}

describe('enforcing JSON schemas on complete answers', () => {
  it('adds the usage of both calls bucket by bucket', async () => {
    const judged = await enforceSchemaChecks(answer('nope'), enforcement('block'));
    expect(judged.block).toBeUndefined();
    expect(judged.result.usage).toEqual({ inputTokens: 14, outputTokens: 6, cacheReadTokens: 4 });
  });

  it('keeps the first answer when the re-ask fails upstream: flag passes it, block refuses it', async () => {
    const failing = async () => {
      throw new GatewayError('upstream_error', 'boom');
    };
    const flagged = enforcement('flag', { reask: failing });
    const kept = await enforceSchemaChecks(answer('nope'), flagged);
    expect(kept.block).toBeUndefined();
    expect(kept.result.choices[0].content).toEqual([{ type: 'text', text: 'nope' }]);
    expect(flagged.decisions.list()).toEqual([expect.objectContaining({ outcome: 'flagged', types: ['json_invalid', 'reask_failed'] })]);
    const blocked = await enforceSchemaChecks(answer('nope'), enforcement('block', { reask: failing }));
    expect(blocked.block).toMatchObject({ scanner: 'json_schema', side: 'output', types: ['json_invalid', 'reask_failed'] });
  });

  it('does not swallow a re-ask the client aborted', async () => {
    const aborted = enforcement('flag', { reask: async () => Promise.reject(new GatewayError('client_closed_request', 'gone')), aborted: () => true });
    await expect(enforceSchemaChecks(answer('nope'), aborted)).rejects.toMatchObject({ code: 'client_closed_request' });
  });

  it('lets the other output scanners judge the re-asked answer first', async () => {
    const screened = enforcement('flag', { screen: () => ({ scanner: 'canary', side: 'output', channel: 'output', types: ['canary_leak'], score: 1 }) });
    expect((await enforceSchemaChecks(answer('nope'), screened)).block).toMatchObject({ scanner: 'canary' });
  });

  it('does not re-ask an answer with several choices, and skips choices that call a tool', async () => {
    const several = enforcement('block');
    const judged = await enforceSchemaChecks(answer('{"ok": true}', 'nope'), several);
    expect(several.reasks).toHaveLength(0);
    expect(judged.block).toMatchObject({ types: ['json_invalid'] });
    const toolCall: ChatResult = { ...answer(''), choices: [{ index: 0, content: [{ type: 'tool-call', id: 'c', name: 'f', arguments: '{}' }], finishReason: { unified: 'tool-calls' } }] };
    const tools = enforcement('block');
    expect(await enforceSchemaChecks(toolCall, tools)).toEqual({ result: toolCall });
    expect(tools.reasks).toHaveLength(0);
  });
});
