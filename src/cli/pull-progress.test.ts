import { describe, expect, it } from 'vitest';
import { PullProgressRenderer, formatBytes } from './pull-progress.js';

const layer = { status: 'pulling 6a0746a1ec1a', digest: 'sha256:6a07', total: 4_000_000_000 };

describe('PullProgressRenderer', () => {
  it('redraws one bar in place on a terminal and ends its line when the status changes', () => {
    let output = '';
    const renderer = new PullProgressRenderer({ write: (text) => (output += text), isTTY: true, columns: 100 });
    renderer.update({ status: 'pulling manifest' });
    renderer.update({ ...layer, completed: 0 });
    renderer.update({ ...layer, completed: 2_000_000_000 });
    renderer.update({ status: 'success' });
    renderer.finish();
    expect(output).toContain('pulling manifest\n');
    expect(output).toContain(`\r\u001b[2Kpulling 6a0746a1ec1a [${'-'.repeat(30)}]   0% 0 B/4.0 GB`);
    expect(output).toContain(`\r\u001b[2Kpulling 6a0746a1ec1a [${'#'.repeat(15)}${'-'.repeat(15)}]  50% 2.0 GB/4.0 GB\nsuccess\n`);
  });

  it('prints a line per quarter elsewhere, never the same quarter twice', () => {
    const lines: string[] = [];
    const renderer = new PullProgressRenderer({ write: (text) => lines.push(text), isTTY: false });
    for (const completed of [0, 100, 1_000_000_000, 1_100_000_000, 4_000_000_000]) renderer.update({ ...layer, completed });
    expect(lines).toEqual(['pulling 6a0746a1ec1a 0% (0 B of 4.0 GB)\n', 'pulling 6a0746a1ec1a 25% (1.0 GB of 4.0 GB)\n', 'pulling 6a0746a1ec1a 100% (4.0 GB of 4.0 GB)\n']);
  });

  it('formats bytes in SI units', () => {
    expect([formatBytes(512), formatBytes(12_403), formatBytes(4_661_211_808)]).toEqual(['512 B', '12.4 KB', '4.7 GB']);
  });
});
