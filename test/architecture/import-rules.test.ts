import { readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { domainOf, importEdges, parseImports, readProductionSources, stripComments, type SourceFile } from './import-graph.js';

// The import rules of /work/shared/design/ARCHITECTURE.md section 1, checked over the import graph of the
// production sources (tests, `__fixtures__`, `test-support` and the adapter contract suite are left out:
// they may reach across layers to drive what they test).
//
// 1. `spec/` imports nothing at all: no other folder, no package, not even a node built-in.
// 2. `providers/` and `dialects/` build only on `spec/` and `kit/`: they never import each other,
//    `gateway/`, `http/` or any other domain, nor the HTTP framework. A provider folder does not import
//    another provider's folder and a dialect folder does not import another dialect's folder.
//    Exception (docs/decisions/0005-openai-wire-shared-by-azure-and-compatible.md):
//    `providers/azure-openai/` and `providers/openai-compatible/` may import `providers/openai/`, because
//    they speak the same wire and reuse its adapter instead of copying it.
// 3. Only `http/` imports the HTTP framework (fastify, hono).
// 4. Outside `providers/`, nothing imports a provider's folder (`providers/<id>/`). The two entry points
//    `providers/registry.ts` and `providers/provider-definition.ts` may be imported only by the composition
//    root (`main.ts`), `cli/` and `gateway/`.
// 5. The core (everything outside `providers/<id>/`) never names a provider in a comparison
//    (`kind === 'anthropic'`, `case 'gemini':`). Provider names may appear as data (the model catalog
//    under `registry/data/` lists which provider serves which model), never as a branch.
// 6. Nothing under `src/` imports from outside it (`test/`, `bench/`): the shipped package holds `src/` only.

const sourceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const httpFramework = /^(?:fastify|hono)(?:\/|$)|^@fastify\/|^@hono\//;

/** Pairs `[importing provider, imported provider]` allowed to cross provider folders (decision 0005). */
const sharedProviderWire: ReadonlyArray<readonly [string, string]> = [
  ['azure-openai', 'openai'],
  ['openai-compatible', 'openai'],
];
const providerEntryPoints = ['providers/registry.ts', 'providers/provider-definition.ts'];
const providerEntryPointImporters = ['main.ts', 'cli', 'gateway'];

/** `providers/anthropic/x.ts` -> `anthropic`; shared files at the top of `providers/` -> undefined. */
function folderIn(layer: 'providers' | 'dialects', path: string): string | undefined {
  const parts = path.split('/');
  return parts[0] === layer && parts.length > 2 ? parts[1] : undefined;
}

function importViolations(files: ReadonlyArray<SourceFile>): string[] {
  const violations: string[] = [];
  for (const edge of importEdges(files)) {
    const report = (reason: string) => violations.push(`src/${edge.file}:${edge.line} imports '${edge.specifier}': ${reason}`);
    const from = domainOf(edge.file);
    const to = edge.target === undefined ? undefined : domainOf(edge.target);

    if (from === 'spec' && to !== 'spec') report('spec/ imports nothing outside itself (no packages, no node built-ins)');
    if (edge.target?.startsWith('../')) report('src/ never imports from outside src/ (test/, bench/)');
    if (httpFramework.test(edge.specifier) && from !== 'http') report('only http/ imports the HTTP framework');

    if ((from === 'providers' || from === 'dialects') && edge.target !== undefined && to !== undefined) {
      const other = from === 'providers' ? 'dialects' : 'providers';
      if (to === other) report('providers and dialects never import each other');
      else if (to !== from && to !== 'spec' && to !== 'kit') report(`${from}/ builds only on spec/ and kit/, never on ${to}/`);
      else if (to === from) {
        const own = folderIn(from, edge.file);
        const theirs = folderIn(from, edge.target);
        const shared = sharedProviderWire.some(([importer, imported]) => importer === own && imported === theirs);
        if (own !== undefined && theirs !== undefined && own !== theirs && !shared) report(`${from}/${own}/ never imports another ${from} folder (${from}/${theirs}/)`);
        if (from === 'providers' && own !== undefined && theirs === undefined && edge.target !== 'providers/provider-definition.ts') {
          report('a provider imports only provider-definition.ts from the top of providers/');
        }
      }
    }

    // Dialects importing providers were reported above, as a broken layer rule.
    if (from !== 'providers' && from !== 'dialects' && to === 'providers' && edge.target !== undefined) {
      if (!providerEntryPoints.includes(edge.target)) report('the core never imports a provider folder; go through providers/registry.ts');
      else if (!providerEntryPointImporters.includes(from)) report(`only main.ts, cli/ and gateway/ import ${edge.target}`);
    }
  }
  return violations;
}

function providerNameComparisons(files: ReadonlyArray<SourceFile>, providerNames: ReadonlyArray<string>): string[] {
  const names = [...providerNames].sort((left, right) => right.length - left.length).join('|');
  const patterns = [
    new RegExp(`[!=]==?\\s*(['"\`])(?:${names})\\1`),
    new RegExp(`(['"\`])(?:${names})\\1\\s*[!=]==?`),
    new RegExp(`\\bcase\\s+(['"\`])(?:${names})\\1\\s*:`),
  ];
  const violations: string[] = [];
  for (const file of files) {
    if (folderIn('providers', file.path) !== undefined) continue;
    stripComments(file.text)
      .split('\n')
      .forEach((line, index) => {
        if (patterns.some((pattern) => pattern.test(line))) violations.push(`src/${file.path}:${index + 1} names a provider in a comparison: ${line.trim()}`);
      });
  }
  return violations;
}

const knownProviderNames = ['openai', 'anthropic', 'gemini', 'ollama', 'azure', 'azure-openai', 'openai-compatible'];
const providerFolders = readdirSync(resolve(sourceRoot, 'providers'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'contract')
  .map((entry) => entry.name);
const providerNames = [...new Set([...knownProviderNames, ...providerFolders])];

describe('import parser', () => {
  it('finds static, type-only, multi-line, re-export, side-effect and dynamic imports with their lines', () => {
    const text = [
      "import { z } from 'zod';",
      "import type { A } from './a.js';",
      'import {',
      '  b,',
      '  type C,',
      "} from '../b.js';",
      "import Fastify, { type FastifyInstance } from 'fastify';",
      "import './side-effect.js';",
      "export * from './all.js';",
      "export { d } from './d.js';",
      "export type { E } from './e.js';",
      "const later = await import('./lazy.js');",
      "export const notAnImport = 'from here';",
    ].join('\n');
    expect(parseImports(text)).toEqual([
      { specifier: 'zod', line: 1 },
      { specifier: './a.js', line: 2 },
      { specifier: '../b.js', line: 6 },
      { specifier: 'fastify', line: 7 },
      { specifier: './side-effect.js', line: 8 },
      { specifier: './all.js', line: 9 },
      { specifier: './d.js', line: 10 },
      { specifier: './e.js', line: 11 },
      { specifier: './lazy.js', line: 12 },
    ]);
  });

  it('ignores imports quoted in comments but not URLs in strings', () => {
    const text = ["/** Use it like: import { x } from 'fastify'; */", "const url = 'http://127.0.0.1'; // import('hono')", "import { y } from './y.js';"].join('\n');
    expect(parseImports(text)).toEqual([{ specifier: './y.js', line: 3 }]);
  });
});

describe('import rules (synthetic sources)', () => {
  const file = (path: string, ...imports: string[]): SourceFile => ({ path, text: imports.map((specifier) => `import { x } from '${specifier}';`).join('\n') });

  it('reports each kind of violation with file, line and import', () => {
    const violations = importViolations([
      file('spec/usage.ts', 'node:fs', 'zod'),
      file('providers/anthropic/anthropic-adapter.ts', '../../dialects/anthropic-messages/index.js', '../../gateway/gateway.js', 'fastify'),
      file('providers/gemini/gemini-adapter.ts', '../anthropic/anthropic-error.js', '../registry.js'),
      file('dialects/openai-chat/decode.ts', '../../providers/openai/openai-adapter.js', '../anthropic-messages/x.js', '../../observatory/index.js'),
      file('gateway/pipeline.ts', '../providers/openai/openai-error.js', 'hono'),
      file('observatory/cost.ts', '../providers/registry.js'),
      file('kit/helper.ts', '../../test/support/x.js'),
    ]);
    expect(violations).toEqual([
      "src/spec/usage.ts:1 imports 'node:fs': spec/ imports nothing outside itself (no packages, no node built-ins)",
      "src/spec/usage.ts:2 imports 'zod': spec/ imports nothing outside itself (no packages, no node built-ins)",
      "src/providers/anthropic/anthropic-adapter.ts:1 imports '../../dialects/anthropic-messages/index.js': providers and dialects never import each other",
      "src/providers/anthropic/anthropic-adapter.ts:2 imports '../../gateway/gateway.js': providers/ builds only on spec/ and kit/, never on gateway/",
      "src/providers/anthropic/anthropic-adapter.ts:3 imports 'fastify': only http/ imports the HTTP framework",
      "src/providers/gemini/gemini-adapter.ts:1 imports '../anthropic/anthropic-error.js': providers/gemini/ never imports another providers folder (providers/anthropic/)",
      "src/providers/gemini/gemini-adapter.ts:2 imports '../registry.js': a provider imports only provider-definition.ts from the top of providers/",
      "src/dialects/openai-chat/decode.ts:1 imports '../../providers/openai/openai-adapter.js': providers and dialects never import each other",
      "src/dialects/openai-chat/decode.ts:2 imports '../anthropic-messages/x.js': dialects/openai-chat/ never imports another dialects folder (dialects/anthropic-messages/)",
      "src/dialects/openai-chat/decode.ts:3 imports '../../observatory/index.js': dialects/ builds only on spec/ and kit/, never on observatory/",
      "src/gateway/pipeline.ts:1 imports '../providers/openai/openai-error.js': the core never imports a provider folder; go through providers/registry.ts",
      "src/gateway/pipeline.ts:2 imports 'hono': only http/ imports the HTTP framework",
      "src/observatory/cost.ts:1 imports '../providers/registry.js': only main.ts, cli/ and gateway/ import providers/registry.ts",
      "src/kit/helper.ts:1 imports '../../test/support/x.js': src/ never imports from outside src/ (test/, bench/)",
    ]);
  });

  it('allows the OpenAI wire exception, the provider entry points and the shared layer files', () => {
    expect(
      importViolations([
        file('providers/azure-openai/azure-openai-adapter.ts', '../openai/openai-adapter.js', '../provider-definition.js', '../../kit/sse-decoder.js', 'zod'),
        file('providers/openai-compatible/openai-compatible-adapter.ts', '../openai/openai-endpoint.js'),
        file('providers/registry.ts', './anthropic/anthropic-provider.js', './provider-definition.js'),
        file('dialects/openai-chat/decode.ts', '../dialect.js', '../../kit/validation-error.js', '../../spec/index.js'),
        file('gateway/provider-set.ts', '../providers/provider-definition.js'),
        file('cli/providers-command.ts', '../providers/registry.js'),
        file('main.ts', './providers/registry.js', './http/server.js'),
        file('http/server.ts', 'fastify', '@fastify/cors'),
      ]),
    ).toEqual([]);
    // The exception runs one way only: openai does not import its variants.
    expect(importViolations([file('providers/openai/openai-adapter.ts', '../azure-openai/azure-openai-endpoint.js')])).toHaveLength(1);
  });

  it('finds provider names in comparisons outside the provider folders, not in comments or data', () => {
    const sources: SourceFile[] = [
      { path: 'gateway/route.ts', text: "if (kind === 'anthropic') x();\nif ('gemini' !== kind) y();\nswitch (k) { case \"ollama\": break; }\n// if (kind === 'openai')\nconst label = 'openai';" },
      { path: 'providers/anthropic/anthropic-adapter.ts', text: "if (kind === 'anthropic') x();" },
      { path: 'providers/registry.ts', text: "const bad = kind == 'azure-openai';" },
    ];
    expect(providerNameComparisons(sources, providerNames)).toEqual([
      "src/gateway/route.ts:1 names a provider in a comparison: if (kind === 'anthropic') x();",
      "src/gateway/route.ts:2 names a provider in a comparison: if ('gemini' !== kind) y();",
      'src/gateway/route.ts:3 names a provider in a comparison: switch (k) { case "ollama": break; }',
      "src/providers/registry.ts:1 names a provider in a comparison: const bad = kind == 'azure-openai';",
    ]);
  });
});

describe('import rules (src/)', () => {
  const sources = readProductionSources(sourceRoot);
  const edges = importEdges(sources);

  it('reads the real source tree (so an empty violation list means something)', () => {
    expect(sources.length).toBeGreaterThan(100);
    expect(sources.some((source) => source.path.endsWith('.test.ts') || source.path.includes('__fixtures__'))).toBe(false);
    expect(edges).toContainEqual(expect.objectContaining({ file: 'main.ts', target: 'providers/registry.ts' }));
    expect(edges).toContainEqual(expect.objectContaining({ file: 'http/server.ts', specifier: 'fastify' }));
    expect(providerFolders).toEqual(expect.arrayContaining(['openai', 'anthropic', 'gemini', 'ollama', 'azure-openai', 'openai-compatible']));
  });

  it('follows the layer rules of ARCHITECTURE.md section 1', () => {
    const violations = importViolations(sources);
    expect(violations, `import rule violations:\n${violations.join('\n')}`).toEqual([]);
  });

  it('never names a provider in a comparison outside providers/<id>/', () => {
    const violations = providerNameComparisons(sources, providerNames);
    expect(violations, `provider names in core comparisons:\n${violations.join('\n')}`).toEqual([]);
  });
});
