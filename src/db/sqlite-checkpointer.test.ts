import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteCheckpointer } from './sqlite-checkpointer.js';

describe('SqliteCheckpointer', () => {
  it('reports a worker that cannot run (so the writer takes checkpoints back) and refuses later calls', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'switchyard-checkpointer-'));
    try {
      const stopped = new Promise<Error>((resolve) => {
        // A database in a folder that does not exist: the worker's connection fails to open.
        new SqliteCheckpointer(join(folder, 'missing', 'switchyard.db'), resolve);
      });
      expect((await stopped).message).toMatch(/directory does not exist|unable to open/i);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('checkpoints on request and closes its connection', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'switchyard-checkpointer-'));
    try {
      let failure: Error | undefined;
      const checkpointer = new SqliteCheckpointer(join(folder, 'switchyard.db'), (error) => (failure = error));
      // A new file is not in WAL mode yet: SQLite answers "nothing to do" rather than failing.
      expect(await checkpointer.checkpoint()).toEqual({ busy: 0, log: -1, checkpointed: -1 });
      await checkpointer.close();
      await expect(checkpointer.checkpoint()).rejects.toThrow(/closed/);
      expect(failure).toBeUndefined();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
