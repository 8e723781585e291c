import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCatalog } from './error-catalog.js';

// docs/errors.md is what users read; the catalog is what the code does. They must say the same.
describe('error catalog and docs/errors.md', () => {
  const documentation = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const rows = new Map(
    documentation
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => {
        const cells = line.split('|').map((cell) => cell.trim());
        return [cells[1].replaceAll('`', ''), { status: Number(cells[2]), retryable: cells[3] === 'yes' }] as const;
      }),
  );

  it('documents every code with its status and retryability', () => {
    for (const [code, entry] of Object.entries(errorCatalog)) {
      expect(rows.get(code), `docs/errors.md lacks ${code}`).toEqual({ status: entry.status, retryable: entry.retryable });
    }
  });

  it('documents no code the catalog does not have', () => {
    for (const code of rows.keys()) expect(Object.keys(errorCatalog)).toContain(code);
  });
});
