import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startOpenAIMock } from '../mock-providers/openai-mock.js';
import type { MockProvider } from '../mock-providers/mock-provider.js';
import { eventually } from '../cli/cli-process.js';
import { freeLoopbackPort } from '../support/free-port.js';
import { startTestGateway, testMasterKey, type TestGateway } from '../support/test-gateway.js';
import { dashboardExpressions, dashboards, prometheusDirectory, ruleFiles, ruleGroups, withGrafanaVariables } from './deploy-files.js';

// The real Prometheus server (Debian package `prometheus`, installed by .ci/run) scraping a real gateway with
// the rules from deploy/prometheus loaded: it scrapes, the request counter adds up, the rules load and
// evaluate, and every dashboard query parses.

const prometheusBinary = '/usr/bin/prometheus';
const promtoolBinary = '/usr/bin/promtool';
const run = promisify(execFile);
const jobName = 'switchyard';

let upstream: MockProvider;
let gateway: TestGateway;
let prometheus: ChildProcess | undefined;
let prometheusUrl: string;
let prometheusLog = '';
let directory: string;

interface QueryAnswer {
  status: string;
  error?: string;
  data: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

async function query(promql: string): Promise<QueryAnswer> {
  const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
  return (await response.json()) as QueryAnswer;
}

/** The single value of an instant query, or undefined while it has none. */
async function scalarOf(promql: string): Promise<number | undefined> {
  const answer = await query(promql);
  const sample = answer.data?.result[0];
  return sample === undefined ? undefined : Number(sample.value[1]);
}

beforeAll(async () => {
  if (!existsSync(prometheusBinary) || !existsSync(promtoolBinary)) {
    throw new Error('Prometheus is not installed: apt-get install -y prometheus (.ci/run does it)');
  }
  upstream = await startOpenAIMock();
  gateway = await startTestGateway({ providers: [{ name: 'openai', kind: 'openai', apiKey: 'sk-upstream', baseUrl: upstream.baseUrl }], routing: { maxRetries: 0 } });
  const client = new OpenAI({ apiKey: testMasterKey, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  for (let index = 0; index < 3; index += 1) {
    upstream.enqueue({ kind: 'text', text: `answer ${index}`, usage: { input: 10, output: 3 } });
    await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  }
  upstream.enqueue({ kind: 'error', status: 500, message: 'upstream broke' });
  await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'fail' }] }).catch(() => undefined);
  await gateway.ledgerRows(4);

  directory = mkdtempSync(join(tmpdir(), 'switchyard-prometheus-'));
  const port = await freeLoopbackPort();
  prometheusUrl = `http://127.0.0.1:${port}`;
  const config = {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    rule_files: ruleFiles(),
    scrape_configs: [{ job_name: jobName, metrics_path: '/metrics', static_configs: [{ targets: [new URL(gateway.url).host] }] }],
  };
  writeFileSync(join(directory, 'prometheus.yml'), stringify(config));
  prometheus = spawn(
    prometheusBinary,
    [
      `--config.file=${join(directory, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(directory, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  prometheus.stderr?.on('data', (chunk: Buffer) => {
    prometheusLog = (prometheusLog + chunk.toString()).slice(-4000);
  });
  await eventually(async () => {
    if (prometheus?.exitCode !== null) throw new Error(`prometheus exited: ${prometheusLog}`);
    const ready = await fetch(`${prometheusUrl}/-/ready`).catch(() => undefined);
    return ready?.ok === true ? true : undefined;
  }, 20_000, 100);
}, 60_000);

afterAll(async () => {
  if (prometheus !== undefined && prometheus.exitCode === null) {
    const exited = new Promise((resolve) => prometheus!.once('exit', resolve));
    prometheus.kill('SIGTERM');
    await exited;
  }
  await gateway?.stop();
  await upstream?.close();
  if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
});

describe('promtool', () => {
  it('accepts the rule files and the example configuration', async () => {
    const rules = await run(promtoolBinary, ['check', 'rules', ...ruleFiles()]);
    expect(rules.stdout).toContain('SUCCESS');
    const example = await run(promtoolBinary, ['check', 'config', join(prometheusDirectory, 'example', 'prometheus.yml')]);
    expect(example.stdout).toMatch(/SUCCESS: .*prometheus\.yml is valid/);
    const generated = await run(promtoolBinary, ['check', 'config', join(directory, 'prometheus.yml')]);
    expect(generated.stdout).toContain('SUCCESS');
  });
});

describe('a real Prometheus scraping the gateway', () => {
  it('scrapes it and counts the requests it served', async () => {
    expect(await eventually(async () => ((await scalarOf(`up{job="${jobName}"}`)) === 1 ? true : undefined), 20_000, 200)).toBe(true);
    const ok = await eventually(async () => scalarOf(`sum(switchyard_requests_total{job="${jobName}",status="ok",gen_ai_provider_name="openai"})`), 20_000, 200);
    expect(ok).toBe(3);
    expect(await scalarOf(`sum(switchyard_requests_total{job="${jobName}",status="error",error_type="upstream_error"})`)).toBe(1);
    expect(await scalarOf(`sum(switchyard_tokens_total{job="${jobName}",token_type="input"})`)).toBe(30);
    expect(await scalarOf(`sum(switchyard_write_queue_written_total{job="${jobName}",queue="ledger"})`)).toBeGreaterThanOrEqual(4);
  });

  it('loads every rule group from deploy/prometheus and evaluates them without error', async () => {
    const expected = ruleGroups().map((group) => group.name).sort();
    const groups = await eventually(async () => {
      const response = await fetch(`${prometheusUrl}/api/v1/rules`);
      const body = (await response.json()) as { data: { groups: Array<{ name: string; rules: Array<{ name: string; health: string; lastError?: string }> }> } };
      const loaded = body.data.groups;
      // Health is `unknown` until a rule's first evaluation (every second here).
      const evaluated = loaded.every((group) => group.rules.every((rule) => rule.health !== 'unknown'));
      return loaded.length === expected.length && evaluated ? loaded : undefined;
    }, 20_000, 200);
    expect(groups.map((group) => group.name).sort()).toEqual(expected);
    const unhealthy = groups.flatMap((group) => group.rules.filter((rule) => rule.health !== 'ok').map((rule) => `${rule.name}: ${rule.lastError}`));
    expect(unhealthy).toEqual([]);
    expect(await scalarOf('switchyard:slo_availability:objective')).toBe(0.999);
    expect(await scalarOf('switchyard:slo_latency:objective')).toBe(0.99);
  });

  it('accepts every dashboard query', async () => {
    const rejected: string[] = [];
    for (const { file, dashboard } of dashboards()) {
      for (const { where, expr } of dashboardExpressions(dashboard)) {
        const answer = await query(withGrafanaVariables(expr));
        if (answer.status !== 'success') rejected.push(`${file} ${where}: ${answer.error}`);
      }
    }
    expect(rejected).toEqual([]);
  });
});
