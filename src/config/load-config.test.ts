import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { loadConfig, type LoadConfigOptions } from './load-config.js';

let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'switchyard-config-'));
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

function writeConfig(text: string, name = 'switchyard.yaml'): string {
  const file = join(directory, name);
  writeFileSync(file, text);
  return file;
}

function load(options: Partial<LoadConfigOptions> = {}) {
  return loadConfig({ cwd: directory, environment: {}, ...options });
}

/** Runs loadConfig expecting a ConfigError, and returns it. */
function loadError(options: Partial<LoadConfigOptions> = {}): ConfigError {
  try {
    load(options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig defaults', () => {
  it('gives every default with no file and an empty environment', () => {
    const loaded = load();
    expect(loaded.file).toBeUndefined();
    expect(loaded.config.server).toEqual({ host: '127.0.0.1', port: 4000, bodyLimitBytes: 10 * 1024 * 1024 });
    expect(loaded.config.preset).toBe('embedded');
    expect(loaded.config.discoverProviders).toBe(true);
    expect(loaded.config.providers).toEqual([]);
    expect(loaded.config.models).toEqual([]);
    expect(loaded.config.routing.maxRetries).toBe(2);
    expect(loaded.config.routing.timeouts).toEqual({ connectMs: 5_000, firstTokenMs: 120_000, idleMs: 120_000, totalMs: 600_000 });
    expect(loaded.config.routing.breaker).toEqual({ failureThreshold: 5, cooldownMs: 30_000 });
    expect(loaded.config.ledger).toEqual({ flushIntervalMs: 50, retentionDays: 90, retention: { batchSize: 5_000, intervalMinutes: 60 } });
    expect(loaded.config.payloads).toEqual({ mode: 'full', maxBytes: 32_768 });
    expect(loaded.config.logging.level).toBe('info');
    expect(loaded.dataDirectory).toBe(join(directory, '.switchyard'));
  });

  it('treats an empty file as all defaults', () => {
    const file = writeConfig('');
    const loaded = load();
    expect(loaded.file).toBe(file);
    expect(loaded.config.server.port).toBe(4000);
  });
});

describe('loadConfig file values', () => {
  it('reads ./switchyard.yaml when present, and switchyard.yml as the second choice', () => {
    writeConfig('server:\n  port: 4100\n', 'switchyard.yml');
    expect(load().config.server.port).toBe(4100);
    writeConfig('server:\n  port: 4200\n');
    expect(load().config.server.port).toBe(4200);
  });

  it('reads nested values, lists and records, keeping defaults next to them', () => {
    const file = writeConfig(
      [
        'server: { host: 0.0.0.0, port: 8080 }',
        'dataDir: data',
        'routing:',
        '  timeouts: { totalMs: 30000 }',
        'models:',
        '  - name: fast',
        '    strategy: least-busy',
        '    deployments:',
        '      - { provider: openai, model: gpt-4o-mini, weight: 3 }',
        'pricing:',
        '  openai/gpt-4o-mini: { inputPerMillion: 0.15, outputPerMillion: 0.6 }',
      ].join('\n'),
      'custom.yaml',
    );
    const loaded = load({ file: 'custom.yaml' });
    expect(loaded.file).toBe(file);
    expect(loaded.config.server).toEqual({ host: '0.0.0.0', port: 8080, bodyLimitBytes: 10 * 1024 * 1024 });
    expect(loaded.dataDirectory).toBe(join(directory, 'data'));
    expect(loaded.config.routing.timeouts).toEqual({ connectMs: 5_000, firstTokenMs: 120_000, idleMs: 120_000, totalMs: 30_000 });
    expect(loaded.config.models).toEqual([
      {
        name: 'fast',
        strategy: 'least-busy',
        deployments: [{ provider: 'openai', model: 'gpt-4o-mini', weight: 3 }],
        fallbacks: [],
        contextWindowFallbacks: [],
      },
    ]);
    expect(loaded.config.pricing['openai/gpt-4o-mini']).toEqual({ inputPerMillion: 0.15, outputPerMillion: 0.6 });
  });

  it('takes the file from SWITCHYARD_CONFIG', () => {
    writeConfig('server:\n  port: 4300\n', 'other.yaml');
    expect(load({ environment: { SWITCHYARD_CONFIG: 'other.yaml' } }).config.server.port).toBe(4300);
  });
});

describe('loadConfig environment overrides', () => {
  it('reads SWITCHYARD_PORT, PORT and the other shortcuts', () => {
    expect(load({ environment: { PORT: '5001' } }).config.server.port).toBe(5001);
    expect(load({ environment: { SWITCHYARD_PORT: '5002' } }).config.server.port).toBe(5002);
    const loaded = load({
      environment: {
        SWITCHYARD_HOST: '0.0.0.0',
        SWITCHYARD_DATA_DIR: '/var/lib/switchyard',
        SWITCHYARD_LOG_LEVEL: 'warn',
        SWITCHYARD_DISCOVER_PROVIDERS: 'false',
        SWITCHYARD_DATABASE_URL: 'postgres://db/switchyard',
      },
    });
    expect(loaded.config.server.host).toBe('0.0.0.0');
    expect(loaded.dataDirectory).toBe('/var/lib/switchyard');
    expect(loaded.config.logging.level).toBe('warn');
    expect(loaded.config.discoverProviders).toBe(false);
    expect(loaded.config.database.url).toBe('postgres://db/switchyard');
  });

  it('maps SWITCHYARD_A__B_C to nested camel-case keys', () => {
    const loaded = load({ environment: { SWITCHYARD_ROUTING__TIMEOUTS__TOTAL_MS: '30000', SWITCHYARD_ROUTING__BREAKER__COOLDOWN_MS: '1000' } });
    expect(loaded.config.routing.timeouts.totalMs).toBe(30_000);
    expect(loaded.config.routing.timeouts.connectMs).toBe(5_000);
    expect(loaded.config.routing.breaker.cooldownMs).toBe(1_000);
  });

  it('reads on/off settings from the text of an environment variable', () => {
    const off = load({ environment: { SWITCHYARD_METRICS__ENABLED: 'false', SWITCHYARD_DASHBOARD__ENABLED: 'false', SWITCHYARD_TRACING__ENABLED: 'false' } }).config;
    expect([off.metrics.enabled, off.dashboard.enabled, off.tracing.enabled]).toEqual([false, false, false]);
    expect(load({ environment: { SWITCHYARD_METRICS__ENABLED: 'true' } }).config.metrics.enabled).toBe(true);
    expect(() => load({ environment: { SWITCHYARD_METRICS__ENABLED: 'no' } })).toThrow(ConfigError);
  });

  it('reads a JSON list from SWITCHYARD_MODELS', () => {
    const models = [{ name: 'chat', deployments: [{ provider: 'openai', model: 'gpt-4o' }], fallbacks: ['backup'] }];
    const loaded = load({ environment: { SWITCHYARD_MODELS: JSON.stringify(models) } });
    expect(loaded.config.models).toEqual([
      { name: 'chat', strategy: 'weighted', deployments: [{ provider: 'openai', model: 'gpt-4o', weight: 1 }], fallbacks: ['backup'], contextWindowFallbacks: [] },
    ]);
  });

  it('ignores variables that are not config keys (CLI, test and benchmark tooling)', () => {
    const loaded = load({
      environment: {
        SWITCHYARD_MASTER_KEY: 'sk-sy-x',
        SWITCHYARD_URL: 'http://127.0.0.1:4000',
        SWITCHYARD_SHARED_DIR: '/tmp',
        SWITCHYARD_TEST_TOTALS_FILE: '/tmp/totals',
        SWITCHYARD_BENCH_PORT: '9999',
        OPENAI_API_KEY: 'sk-not-config',
        SWITCHYARD_HOST: '',
      },
    });
    expect(loaded.config.server.host).toBe('127.0.0.1');
    expect(loaded.config.server.port).toBe(4000);
  });
});

describe('loadConfig precedence', () => {
  it('is flag > environment > file > default', () => {
    writeConfig('server:\n  port: 4100\n  host: 10.0.0.1\nrouting:\n  maxRetries: 5\n');
    const fileOnly = load();
    expect(fileOnly.config.server.port).toBe(4100);
    expect(fileOnly.config.routing.maxRetries).toBe(5);
    expect(fileOnly.config.routing.initialBackoffMs).toBe(250);

    const environment = { SWITCHYARD_PORT: '4200', SWITCHYARD_ROUTING__MAX_RETRIES: '1' };
    const withEnvironment = load({ environment });
    expect(withEnvironment.config.server.port).toBe(4200);
    expect(withEnvironment.config.server.host).toBe('10.0.0.1');
    expect(withEnvironment.config.routing.maxRetries).toBe(1);

    const withFlag = load({ environment, overrides: [{ path: ['server', 'port'], value: 4300 }] });
    expect(withFlag.config.server.port).toBe(4300);
    expect(withFlag.config.routing.maxRetries).toBe(1);
  });

  it('lets SWITCHYARD_PORT beat PORT', () => {
    expect(load({ environment: { PORT: '5001', SWITCHYARD_PORT: '5002' } }).config.server.port).toBe(5002);
    expect(load({ environment: { SWITCHYARD_PORT: '5002', PORT: '5001' } }).config.server.port).toBe(5002);
  });

  it('lets an explicit file argument beat SWITCHYARD_CONFIG', () => {
    writeConfig('server:\n  port: 4100\n', 'a.yaml');
    writeConfig('server:\n  port: 4200\n', 'b.yaml');
    expect(load({ file: 'a.yaml', environment: { SWITCHYARD_CONFIG: 'b.yaml' } }).config.server.port).toBe(4100);
  });
});

describe('loadConfig errors', () => {
  it('names the file, the path and the expectation for a wrong type', () => {
    const file = writeConfig('server:\n  port: abc\nrouting:\n  timeouts:\n    totalMs: -1\n');
    const error = loadError();
    expect(error.problems).toEqual([
      { source: file, path: 'server.port', message: expect.stringContaining('expected number') },
      { source: file, path: 'routing.timeouts.totalMs', message: expect.stringContaining('>0') },
    ]);
    expect(error.message).toContain(`${file}: server.port: expected number`);
    expect(error.message).toContain(`${file}: routing.timeouts.totalMs:`);
  });

  it('lists the allowed values of an enum', () => {
    writeConfig('logging:\n  level: loud\n');
    expect(loadError().message).toMatch(/logging\.level: .*"debug".*"silent"/);
  });

  it('names an unknown key with its parent path', () => {
    const file = writeConfig('server:\n  prot: 4000\ncolour: blue\n');
    const error = loadError();
    expect(error.problems).toEqual(
      expect.arrayContaining([
        { source: file, path: 'server', message: 'unknown key "prot"' },
        { source: file, path: '', message: 'unknown key "colour"' },
      ]),
    );
    expect(error.message).toContain(`${file}: (root): unknown key "colour"`);
  });

  it('names the path inside a list', () => {
    const file = writeConfig('models:\n  - name: chat\n    deployments:\n      - { provider: openai }\n');
    expect(loadError().problems).toEqual([{ source: file, path: 'models[0].deployments[0].model', message: expect.stringContaining('expected string') }]);
  });

  it('reports bad YAML with the file', () => {
    const file = writeConfig('server: [\n  port: 1\n');
    const error = loadError();
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0].source).toBe(file);
    expect(error.problems[0].message).toMatch(/^not valid YAML: /);
  });

  it('rejects a file whose top level is not a mapping', () => {
    const file = writeConfig('- a\n- b\n');
    expect(loadError().problems).toEqual([{ source: file, path: '', message: 'expected a mapping at the top level' }]);
  });

  it('reports a missing explicit file (from the argument or SWITCHYARD_CONFIG)', () => {
    expect(loadError({ file: 'nope.yaml' }).problems).toEqual([{ source: join(directory, 'nope.yaml'), path: '', message: 'the config file does not exist' }]);
    expect(loadError({ environment: { SWITCHYARD_CONFIG: 'gone.yaml' } }).message).toContain(`${join(directory, 'gone.yaml')}: (root): the config file does not exist`);
  });

  it('names the variable when the bad value came from the environment', () => {
    const file = writeConfig('server:\n  port: 4000\n');
    const error = loadError({ environment: { SWITCHYARD_PORT: 'eighty' } });
    expect(error.problems).toEqual([{ source: 'environment SWITCHYARD_PORT', path: 'server.port', message: expect.stringContaining('expected number') }]);
    expect(error.message).toContain('environment SWITCHYARD_PORT: server.port:');
    expect(error.message).not.toContain(file);
  });

  it('names the variable for a nested override and for a JSON list', () => {
    expect(loadError({ environment: { SWITCHYARD_ROUTING__TIMEOUTS__TOTAL_MS: '0' } }).problems).toEqual([
      { source: 'environment SWITCHYARD_ROUTING__TIMEOUTS__TOTAL_MS', path: 'routing.timeouts.totalMs', message: expect.any(String) },
    ]);
    expect(loadError({ environment: { SWITCHYARD_MODELS: '[{"name":"chat"}]' } }).problems).toEqual([
      { source: 'environment SWITCHYARD_MODELS', path: 'models[0].deployments', message: expect.stringContaining('expected array') },
    ]);
  });

  it('names the variable for an unknown key it created (a misspelt variable)', () => {
    writeConfig('server:\n  port: 4000\n');
    const error = loadError({ environment: { SWITCHYARD_ROUTING__TIMEOUT__TOTAL_MS: '5000', SWITCHYARD_COLOUR: 'blue' } });
    expect(error.problems).toEqual(
      expect.arrayContaining([
        { source: 'environment SWITCHYARD_ROUTING__TIMEOUT__TOTAL_MS', path: 'routing', message: 'unknown key "timeout"' },
        { source: 'environment SWITCHYARD_COLOUR', path: '', message: 'unknown key "colour"' },
      ]),
    );
  });

  it('names the variable for PORT', () => {
    expect(loadError({ environment: { PORT: '99999' } }).problems[0].source).toBe('environment PORT');
  });

  it('reports every problem at once, each with its own source', () => {
    const file = writeConfig('logging:\n  level: loud\n');
    const error = loadError({ environment: { SWITCHYARD_PORT: 'x' } });
    expect(error.problems.map((problem) => `${problem.source} ${problem.path}`).sort()).toEqual([`${file} logging.level`, 'environment SWITCHYARD_PORT server.port'].sort());
  });

  it('names the command line for a bad flag value', () => {
    expect(loadError({ overrides: [{ path: ['server', 'port'], value: 70000 }], environment: { SWITCHYARD_PORT: '1' } }).problems).toEqual([
      { source: 'command line', path: 'server.port', message: expect.any(String) },
    ]);
  });
});
