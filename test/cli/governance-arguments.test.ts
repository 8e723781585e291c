import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidArgumentError } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { adminApiConnection, adminPost, AdminApiError, withQuery } from '../../src/cli/admin-http.js';
import { formatVerification } from '../../src/cli/audit-commands.js';
import { budgetUse, type BudgetView } from '../../src/cli/budget-commands.js';
import { collectAssignment, collectList, formatDollars, formatDuration, parseDollars, parseDuration, parsePercentages, parseTemperature } from '../../src/cli/command-values.js';
import { keyStatus, parseGracePeriod, type VirtualKeyView } from '../../src/cli/key-commands.js';
import { describeLimit, limitBody } from '../../src/cli/limit-commands.js';
import { formatLlm, nextLlmSettings } from '../../src/cli/llm-options.js';
import { describeRules, policyRules } from '../../src/cli/policy-commands.js';
import { secretFields } from '../../src/cli/secret-commands.js';
import { formatList, formatTable } from '../../src/cli/table.js';
import { parseTokenLifetime } from '../../src/cli/token-commands.js';

describe('amounts in dollars', () => {
  it('converts dollars to integer micro-dollars without floating-point drift', () => {
    expect(parseDollars('25.50')).toBe(25_500_000);
    expect(parseDollars('$25')).toBe(25_000_000);
    expect(parseDollars('0.000001')).toBe(1);
    // 0.29 * 1e6 is 289999.99999999994 in floating point.
    expect(parseDollars('0.29')).toBe(290_000);
    expect(parseDollars('1234.567891')).toBe(1_234_567_891);
  });

  it('refuses negative amounts, more than six decimals and text', () => {
    for (const value of ['-1', '1.2345678', 'ten', '', '1,5', '1e3']) expect(() => parseDollars(value), value).toThrow(InvalidArgumentError);
  });

  it('prints micro-dollars as dollars with every significant digit', () => {
    expect(formatDollars(25_500_000)).toBe('$25.50');
    expect(formatDollars(0)).toBe('$0.00');
    expect(formatDollars(125)).toBe('$0.000125');
    expect(formatDollars(1_234_567_891)).toBe('$1234.567891');
  });
});

describe('durations', () => {
  it('reads single and compound units', () => {
    expect(parseDuration('30d')).toBe(30 * 86_400_000);
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('2w')).toBe(14 * 86_400_000);
  });

  it('refuses unknown units, bare numbers, zero and trailing text', () => {
    for (const value of ['30x', '30', '0s', '', '1h30', 'h', '5m later']) expect(() => parseDuration(value), value).toThrow(InvalidArgumentError);
  });

  it('prints milliseconds in the largest exact unit', () => {
    expect(formatDuration(86_400_000)).toBe('1d');
    expect(formatDuration(60_000)).toBe('1m');
    expect(formatDuration(90_000)).toBe('90s');
    expect(formatDuration(1500)).toBe('1500ms');
  });

  it('grace periods and token lifetimes are whole seconds; a grace period may be 0', () => {
    expect(parseGracePeriod('0')).toBe(0);
    expect(parseGracePeriod('24h')).toBe(86_400);
    expect(() => parseGracePeriod('1500ms')).toThrow(InvalidArgumentError);
    expect(parseTokenLifetime('15m')).toBe(900);
    expect(() => parseTokenLifetime('0')).toThrow(InvalidArgumentError);
  });
});

describe('lists, assignments, percentages, temperatures', () => {
  it('collects repeated comma-separated values', () => {
    expect(collectList('b, c', collectList('a', undefined))).toEqual(['a', 'b', 'c']);
    expect(() => collectList(' , ', undefined)).toThrow(InvalidArgumentError);
  });

  it('splits name=value at the first "=" (secret values may contain "=")', () => {
    expect(collectAssignment('key=abc==', undefined)).toEqual([['key', 'abc==']]);
    expect(() => collectAssignment('=value', undefined)).toThrow(InvalidArgumentError);
    expect(() => collectAssignment('novalue', undefined)).toThrow(InvalidArgumentError);
  });

  it('takes ascending whole percentages only', () => {
    expect(parsePercentages('50,80,100')).toEqual([50, 80, 100]);
    expect(parsePercentages('50%, 90%')).toEqual([50, 90]);
    for (const value of ['80,50', '0,50', '50,150', '50.5', '50,50']) expect(() => parsePercentages(value), value).toThrow(InvalidArgumentError);
  });

  it('takes temperatures from 0 to 2', () => {
    expect(parseTemperature('0.7')).toBe(0.7);
    for (const value of ['-0.1', '2.1', 'hot', '']) expect(() => parseTemperature(value), value).toThrow(InvalidArgumentError);
  });
});

describe('the table printer', () => {
  const columns = [
    { header: 'name', cell: (row: { name: string; amount?: number }) => row.name },
    { header: 'amount', cell: (row: { name: string; amount?: number }) => row.amount, alignRight: true },
  ];

  it('pads every column to its widest cell, right-aligns numbers and marks empty cells', () => {
    expect(formatTable(columns, [{ name: 'production', amount: 5 }, { name: 'dev', amount: 1250 }, { name: 'staging' }])).toBe(
      ['NAME        AMOUNT', 'production       5', 'dev           1250', 'staging          -', ''].join('\n'),
    );
  });

  it('keeps a cell with a newline on one line, and says when there is nothing to list', () => {
    expect(formatTable([columns[0]], [{ name: 'a\nb' }])).toBe('NAME\na b\n');
    expect(formatList(columns, [], 'No budgets.')).toBe('No budgets.\n');
  });
});

describe('model settings', () => {
  it('keeps the current settings unless --replace is given', () => {
    expect(nextLlmSettings({ provider: 'ollama', model: 'llama3:8b' }, { temperature: 0.3 })).toEqual({ provider: 'ollama', model: 'llama3:8b', temperature: 0.3 });
    expect(nextLlmSettings({ provider: 'ollama', model: 'llama3:8b' }, { model: 'gpt-4o', replace: true })).toEqual({ model: 'gpt-4o' });
    expect(nextLlmSettings({ provider: 'ollama' }, { replace: true })).toEqual({});
  });

  it('refuses a set-llm that sets nothing', () => {
    expect(() => nextLlmSettings({ provider: 'ollama' }, {})).toThrow(/nothing to set/);
  });

  it('prints settings in one line', () => {
    expect(formatLlm({ provider: 'openai', model: 'gpt-4o', temperature: 0.3, maxTokens: 4096 })).toBe('provider=openai model=gpt-4o temperature=0.3 max_tokens=4096');
    expect(formatLlm({})).toBe('-');
  });
});

describe('resource helpers', () => {
  const key: VirtualKeyView = {
    id: 'key_1', organisationId: 'org_1', workspaceId: 'ws_1', owner: { kind: 'none' }, name: 'ci', prefix: 'sk-sy-AbCd', role: 'viewer',
    allowedModels: [], allowedRoutes: [], metadata: {}, tags: [], llm: {}, blocked: false, createdAt: 0,
  };

  it('a key is revoked before blocked before expired', () => {
    expect(keyStatus(key, 1000)).toBe('active');
    expect(keyStatus({ ...key, expiresAt: 1000 }, 1000)).toBe('expired');
    expect(keyStatus({ ...key, expiresAt: 1000, blocked: true }, 1000)).toBe('blocked');
    expect(keyStatus({ ...key, blocked: true, revokedAt: 5 }, 1000)).toBe('revoked');
  });

  it('a windowed limit needs a window and a concurrent one refuses it', () => {
    expect(limitBody({ metric: 'requests', limit: 100, window: 60_000 })).toEqual({ metric: 'requests', limit: 100, windowMs: 60_000 });
    expect(() => limitBody({ metric: 'tokens', limit: 100 })).toThrow(/--window is required/);
    expect(() => limitBody({ metric: 'concurrent', limit: 4, window: 1000 })).toThrow(/takes no window/);
    expect(describeLimit({ metric: 'requests', limit: 100, windowMs: 60_000 })).toBe('100 requests / 1m');
    expect(describeLimit({ metric: 'concurrent', limit: 4 })).toBe('4 concurrent');
  });

  it('policy flags become rules, and a policy without a rule is refused before sending', () => {
    const rules = policyRules({ allowModels: ['gpt-4o*'], maxCost: 500_000, localOnly: true });
    expect(rules).toEqual({ allowedModels: ['gpt-4o*'], maxEstimatedCostMicros: 500_000, localOnly: true });
    expect(describeRules(rules)).toBe('models=gpt-4o* max_cost=$0.50 local_only');
    expect(() => policyRules({ localOnly: false })).toThrow(/at least one rule/);
  });

  it('budget use counts reserved spend', () => {
    const budget = { limitMicros: 1_000_000, state: { spentMicros: 250_000, reservedMicros: 5_000 } } as BudgetView;
    expect(budgetUse(budget)).toBe('25.5%');
  });

  it('secret fields come from literals and environment variables; a missing variable is an error', () => {
    expect(secretFields({ fromLiteral: [['key', 'sk-1']], fromEnv: [['org', 'ORG_ID']] }, { ORG_ID: 'org-9' })).toEqual({ key: 'sk-1', org: 'org-9' });
    expect(() => secretFields({ fromEnv: [['key', 'MISSING']] }, {})).toThrow(/MISSING is not set/);
    expect(() => secretFields({}, {})).toThrow(/at least one field/);
  });

  it('audit verification prints OK or FAILED with the first bad record', () => {
    expect(formatVerification({ ok: true, records: 12, headHash: 'ab'.repeat(32) })).toMatch(/^OK: .*12 records/);
    expect(formatVerification({ ok: false, records: 12, firstBadSequence: 7, reason: 'altered' })).toMatch(/^FAILED: .*record 7 \(altered\)/);
  });
});

describe('the admin API client', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  it('prefers --key, then SWITCHYARD_ADMIN_KEY, then SWITCHYARD_MASTER_KEY', () => {
    const environment = { SWITCHYARD_ADMIN_KEY: 'admin', SWITCHYARD_MASTER_KEY: 'master', SWITCHYARD_URL: 'http://gateway:4000/' };
    expect(adminApiConnection({ key: 'flag' }, environment)).toEqual({ url: 'http://gateway:4000', key: 'flag' });
    expect(adminApiConnection({}, environment).key).toBe('admin');
    expect(adminApiConnection({}, { SWITCHYARD_ADMIN_KEY: '', SWITCHYARD_MASTER_KEY: 'master' }).key).toBe('master');
    expect(adminApiConnection({}, {}).key).toBeUndefined();
  });

  it('leaves undefined query values out', () => {
    expect(withQuery('/admin/v1/keys', { organisationId: 'org 1', workspaceId: undefined })).toBe('/admin/v1/keys?organisationId=org+1');
    expect(withQuery('/admin/v1/keys', {})).toBe('/admin/v1/keys');
  });

  it("sends JSON with the bearer key and reports the gateway's own error message", async () => {
    const seen: Array<{ method?: string; authorization?: string; body: string }> = [];
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({ method: request.method, authorization: request.headers.authorization, body });
        response.writeHead(409, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: 'A workspace named production already exists', type: 'invalid_request_error' } }));
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const failure = await adminPost({ url, key: 'sk-admin' }, '/admin/v1/workspaces', { name: 'production' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AdminApiError);
    expect((failure as AdminApiError).message).toBe('the gateway answered 409: A workspace named production already exists');
    expect(seen).toEqual([{ method: 'POST', authorization: 'Bearer sk-admin', body: '{"name":"production"}' }]);
  });

  it('says when there is no key or no gateway', async () => {
    await expect(adminPost({ url: 'http://127.0.0.1:9', key: undefined }, '/admin/v1/keys')).rejects.toThrow(/no key: pass --key/);
    await expect(adminPost({ url: 'http://127.0.0.1:9', key: 'k' }, '/admin/v1/keys')).rejects.toThrow(/cannot reach the gateway at http:\/\/127\.0\.0\.1:9/);
  });
});
