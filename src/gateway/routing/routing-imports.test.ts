import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = dirname(fileURLToPath(import.meta.url));
const sourceRoot = resolve(root, '../..');

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(directory, entry.name)) : entry.name.endsWith('.ts') ? [join(directory, entry.name)] : [],
  );
}

describe('routing import boundary', () => {
  it('imports only node built-ins, vitest (in tests), src/spec, src/kit and itself', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(root)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:from|import)\s+'([^']+)'/g)) {
        const specifier = match[1];
        if (specifier.startsWith('node:') || specifier === 'vitest') continue;
        if (!specifier.startsWith('.')) {
          offenders.push(`${relative(root, file)} -> ${specifier}`);
          continue;
        }
        const target = relative(sourceRoot, resolve(dirname(file), specifier));
        const allowed = ['spec/', 'kit/', 'gateway/routing/'].some((prefix) => target.startsWith(prefix));
        if (!allowed) offenders.push(`${relative(root, file)} -> ${specifier}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
