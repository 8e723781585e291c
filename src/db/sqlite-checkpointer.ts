import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the background connection copies the write-ahead log into the database file. */
const defaultIntervalMs = 500;

/**
 * What the worker runs. A string (an eval worker) rather than a module file, so the same code runs from the
 * built JavaScript and under the TypeScript test runner; `better-sqlite3` is resolved by the main thread and
 * passed in, so it loads from this package wherever the process was started.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const BetterSqlite3 = require(workerData.driver);
const database = new BetterSqlite3(workerData.file);
database.pragma('busy_timeout = 5000');
database.pragma('synchronous = NORMAL');
const checkpoint = () => database.pragma('wal_checkpoint(PASSIVE)', { simple: false })[0];
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message.type === 'checkpoint') {
    try {
      parentPort.postMessage({ type: 'checkpointed', id: message.id, result: checkpoint() });
    } catch (error) {
      parentPort.postMessage({ type: 'checkpointed', id: message.id, error: String(error && error.message) });
    }
  } else if (message.type === 'close') {
    clearInterval(timer);
    database.close();
    parentPort.close();
  }
});
`;

/** What one checkpoint did: frames in the log, and how many of them are now in the database file. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

/**
 * Copies a SQLite database's write-ahead log into its file from a worker thread, so the gateway's writer never
 * does it itself. SQLite's automatic checkpoint runs inside the commit that crosses 1,000 log pages, on the
 * thread that committed, and with `synchronous = NORMAL` it is the only step that waits for the disk (two
 * fsyncs): with the ledger's indexes spread over many keys that was 60-80 µs of blocked event loop a ledger row
 * (docs/decisions/0019). The writer turns its automatic checkpoint off while this runs, and back on if the
 * worker ever stops, so the log never grows without bound.
 */
export class SqliteCheckpointer {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (result: CheckpointResult) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private closed = false;

  /**
   * @param file the database file (not `:memory:`, which has no log)
   * @param onStop called if the worker ends on its own (an error): the writer then checkpoints itself again
   */
  constructor(file: string, onStop: (error: Error) => void, intervalMs: number = defaultIntervalMs) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(workerSource, { eval: true, workerData: { file, driver, intervalMs } });
    // The checkpointer never keeps the process alive on its own.
    this.worker.unref();
    this.worker.on('message', (message: { type: string; id: number; result?: CheckpointResult; error?: string }) => {
      const waiting = this.pending.get(message.id);
      if (waiting === undefined) return;
      this.pending.delete(message.id);
      if (message.error !== undefined || message.result === undefined) waiting.reject(new Error(message.error ?? 'checkpoint failed'));
      else waiting.resolve(message.result);
    });
    const stopped = (error: Error) => {
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
      if (!this.closed) {
        this.closed = true;
        onStop(error);
      }
    };
    this.worker.on('error', stopped);
    this.worker.on('exit', (code) => stopped(new Error(`the checkpoint worker exited with code ${code}`)));
  }

  /** Runs a checkpoint now and says what it did (the worker also runs one every interval). */
  checkpoint(): Promise<CheckpointResult> {
    if (this.closed) return Promise.reject(new Error('the checkpointer is closed'));
    const id = (this.nextId += 1);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'checkpoint', id });
    });
  }

  /** Stops the worker after its connection is closed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    // Held while closing: otherwise a process with nothing else to do would exit before the worker does.
    this.worker.ref();
    this.worker.postMessage({ type: 'close' });
    await exited;
  }
}
