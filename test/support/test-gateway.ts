import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startGateway, type RunningGateway } from '../../src/main.js';
import type { LedgerRow } from '../../src/observatory/index.js';

/** The master key every test gateway accepts. */
export const testMasterKey = 'sk-sy-test-master-key-0123456789';

/** A gateway started in-process on a random port with its own temporary store. */
export interface TestGateway {
  running: RunningGateway;
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** Waits for the batched writer, then returns the newest ledger rows (newest first). */
  ledgerRows(limit?: number): Promise<LedgerRow[]>;
  /** The ledger row of one request id (after a flush). */
  ledgerRow(requestId: string): Promise<LedgerRow | undefined>;
  /** What the banner printed. */
  output: string[];
  stop(): Promise<void>;
}

/**
 * Starts a real gateway (config file, SQLite store, HTTP server) for end-to-end tests. `config` is written
 * as `switchyard.yaml`; routing timeouts and backoffs default to small values so failure tests finish fast.
 */
export async function startTestGateway(config: Record<string, unknown> = {}, environment: Record<string, string> = {}): Promise<TestGateway> {
  const directory = mkdtempSync(join(tmpdir(), 'switchyard-test-'));
  const routing = (config.routing ?? {}) as Record<string, unknown>;
  const fullConfig = {
    server: { port: 0, ...(config.server as object) },
    discoverProviders: false,
    logging: { level: 'silent' },
    ...config,
    routing: {
      initialBackoffMs: 1,
      maxBackoffMs: 5,
      ...routing,
      timeouts: { firstTokenMs: 2_000, totalMs: 10_000, idleMs: 2_000, ...(routing.timeouts as object) },
    },
  };
  writeFileSync(join(directory, 'switchyard.yaml'), stringify(fullConfig));
  const output: string[] = [];
  const running = await startGateway({
    cwd: directory,
    environment: { SWITCHYARD_MASTER_KEY: testMasterKey, ...environment },
    print: (line) => output.push(line),
  });
  const ledgerRows = async (limit = 100) => {
    await running.writer.flush();
    return running.ledger.query({ limit });
  };
  return {
    running,
    url: running.url,
    output,
    ledgerRows,
    async ledgerRow(requestId) {
      const rows = await ledgerRows(1000);
      return rows.find((row) => row.id === requestId);
    },
    async stop() {
      await running.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
