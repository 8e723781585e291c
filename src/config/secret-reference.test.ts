import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProviderSet } from '../gateway/provider-set.js';
import { providerDefinitions } from '../providers/registry.js';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';
import { isEnvironmentReference, resolveSecretReferences, secretReferenceSchema } from './secret-reference.js';

describe('secret references', () => {
  it('accepts a plain string or { env: NAME }, nothing else', () => {
    expect(secretReferenceSchema.safeParse('sk-local').success).toBe(true);
    expect(secretReferenceSchema.safeParse({ env: 'OPENAI_API_KEY' }).success).toBe(true);
    expect(secretReferenceSchema.safeParse({ env: 'A', other: 1 }).success).toBe(false);
    expect(secretReferenceSchema.safeParse({ env: '' }).success).toBe(false);
    expect(isEnvironmentReference({ env: 'A' })).toBe(true);
    expect(isEnvironmentReference({ env: 'A', b: 1 })).toBe(false);
    expect(isEnvironmentReference(['A'])).toBe(false);
  });

  it('resolves references anywhere in the value and leaves the rest alone', () => {
    const missing: Array<{ path: Array<string | number>; variable: string }> = [];
    const resolved = resolveSecretReferences(
      { apiKey: { env: 'KEY_A' }, baseUrl: 'http://127.0.0.1:1/v1', headers: { 'x-proxy': { env: 'KEY_B' } }, list: [{ env: 'KEY_A' }, 3] },
      { KEY_A: 'secret-a', KEY_B: 'secret-b' },
      [],
      missing,
    );
    expect(resolved).toEqual({ apiKey: 'secret-a', baseUrl: 'http://127.0.0.1:1/v1', headers: { 'x-proxy': 'secret-b' }, list: ['secret-a', 3] });
    expect(missing).toEqual([]);
  });

  it('reports a missing or empty variable by path and name', () => {
    const missing: Array<{ path: Array<string | number>; variable: string }> = [];
    const resolved = resolveSecretReferences({ apiKey: { env: 'NOT_SET' }, headers: { auth: { env: 'EMPTY' } } }, { EMPTY: '' }, [], missing);
    expect(resolved).toEqual({ apiKey: undefined, headers: { auth: '' } });
    expect(missing).toEqual([
      { path: ['apiKey'], variable: 'NOT_SET' },
      { path: ['headers', 'auth'], variable: 'EMPTY' },
    ]);
  });
});

describe('secret references in a loaded config', () => {
  it('keeps { env } unresolved in the config, resolves it when providers are built, and never prints a value', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'switchyard-secret-'));
    try {
      writeFileSync(
        join(directory, 'switchyard.yaml'),
        [
          'providers:',
          '  - name: main',
          '    kind: openai',
          '    apiKey: { env: MAIN_KEY }',
          '    baseUrl: http://127.0.0.1:9/v1',
          '  - name: backup',
          '    kind: openai',
          '    apiKey: { env: BACKUP_KEY }',
          '    baseUrl: http://127.0.0.1:9/v1',
        ].join('\n'),
      );
      const environment = { MAIN_KEY: 'sk-main-very-secret-value' };
      const loaded = loadConfig({ cwd: directory, environment });
      // The validated config holds the reference, not the secret (so it can be shown safely).
      expect(loaded.config.providers[0]).toMatchObject({ apiKey: { env: 'MAIN_KEY' } });
      // Secrets resolve from the given environment, with discovery off.
      const build = () =>
        buildProviderSet({ entries: loaded.config.providers, definitions: providerDefinitions, environment, discovery: undefined, source: loaded.file! });
      const error = await build().then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        { source: join(directory, 'switchyard.yaml'), path: 'providers[1].apiKey', message: 'environment variable BACKUP_KEY is not set' },
      ]);
      expect((error as ConfigError).message).not.toContain('sk-main-very-secret-value');

      const withBoth = await buildProviderSet({
        entries: loadConfig({ cwd: directory, environment: { ...environment, BACKUP_KEY: 'sk-backup' } }).config.providers,
        definitions: providerDefinitions,
        environment: { ...environment, BACKUP_KEY: 'sk-backup' },
        discovery: undefined,
        source: 'switchyard.yaml',
      });
      expect(withBoth.map((instance) => instance.name)).toEqual(['main', 'backup']);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
