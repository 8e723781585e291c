import type { Logger } from '../../spec/index.js';
import { silentLogger } from '../../kit/silent-logger.js';
import { BatchedLedgerWriter, type BatchedLedgerWriterStats } from '../batched-writer.js';
import type { FlushScheduler } from '../flush-scheduler.js';
import type { LedgerRow } from '../ledger-row.js';
import type { ObservedRequest, RequestObserver } from '../request-observer.js';
import { captureRequest } from './capture-request.js';
import type { CapturedRequest, CaptureMode, PayloadStore } from './payload-store.js';

/** What is captured and how: the default mode, per-workspace modes, and the size cap of each text. */
export interface PayloadPolicy {
  mode: CaptureMode;
  /** Largest stored request or response text, in UTF-8 bytes; longer ones are cut and marked. */
  maxBytes: number;
  /** Modes by workspace name or id (the config file's `workspaces.<name>.payloads.mode`). */
  workspaceModes?: Readonly<Record<string, CaptureMode>>;
}

/** Options of {@link PayloadCapture}. */
export interface PayloadCaptureOptions {
  store: PayloadStore;
  policy: PayloadPolicy;
  /** A workspace's name by id (the policy may name workspaces); undefined when unknown. */
  workspaceNameOf?: (workspaceId: string) => Promise<string | undefined>;
  intervalMs?: number;
  maxBatch?: number;
  logger?: Logger;
  scheduler?: FlushScheduler;
}

interface Pending {
  row: LedgerRow;
  request: ObservedRequest;
}

/**
 * The request observer that stores prompts and completions. `observe` only queues the row and its lazy
 * accessors; the batched writer's flush resolves the workspace's mode, encodes, redacts, cuts and appends,
 * so no request waits on any of it.
 */
export class PayloadCapture implements RequestObserver {
  readonly readsOutputText = true;
  private readonly writer: BatchedLedgerWriter<Pending>;
  private readonly policy: PayloadPolicy;
  private readonly workspaceNameOf: PayloadCaptureOptions['workspaceNameOf'];
  private readonly modes = new Map<string, Promise<CaptureMode>>();
  private readonly logger: Logger;
  private readonly hasWorkspaceModes: boolean;

  constructor(options: PayloadCaptureOptions) {
    this.policy = options.policy;
    this.hasWorkspaceModes = Object.keys(options.policy.workspaceModes ?? {}).length > 0;
    this.workspaceNameOf = options.workspaceNameOf;
    this.logger = options.logger ?? silentLogger;
    const store = options.store;
    this.writer = new BatchedLedgerWriter<Pending>({
      ledger: {
        append: async (pending) => {
          // Without per-workspace modes every row has the default mode: no promise per row.
          const modes = this.hasWorkspaceModes ? await Promise.all(pending.map((entry) => this.modeFor(entry.row.workspaceId))) : undefined;
          const captured: CapturedRequest[] = [];
          for (let index = 0; index < pending.length; index += 1) {
            const mode = modes?.[index] ?? this.policy.mode;
            if (mode !== 'off') captured.push(this.capture(pending[index], mode));
          }
          if (captured.length > 0) await store.append(captured);
        },
      },
      intervalMs: options.intervalMs,
      maxBatch: options.maxBatch,
      logger: this.logger,
      scheduler: options.scheduler,
    });
  }

  /** False when every mode is `off`: then the capture need not be registered at all. */
  get capturesAnything(): boolean {
    return this.policy.mode !== 'off' || Object.values(this.policy.workspaceModes ?? {}).some((mode) => mode !== 'off');
  }

  observe(row: LedgerRow, request: ObservedRequest): void {
    this.writer.write({ row, request });
  }

  /** Writes everything queued now. */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** Writes what is left and refuses further captures (graceful shutdown). */
  close(): Promise<void> {
    return this.writer.close();
  }

  stats(): BatchedLedgerWriterStats {
    return this.writer.stats();
  }

  /** The mode of a workspace's requests: its own entry by id, else by name, else the default. */
  modeFor(workspaceId: string | undefined): Promise<CaptureMode> {
    const overrides = this.policy.workspaceModes;
    if (workspaceId === undefined || overrides === undefined || !this.hasWorkspaceModes) return Promise.resolve(this.policy.mode);
    let mode = this.modes.get(workspaceId);
    if (mode === undefined) {
      mode = this.resolveMode(workspaceId, overrides);
      this.modes.set(workspaceId, mode);
    }
    return mode;
  }

  private async resolveMode(workspaceId: string, overrides: Readonly<Record<string, CaptureMode>>): Promise<CaptureMode> {
    if (Object.hasOwn(overrides, workspaceId)) return overrides[workspaceId];
    try {
      const name = await this.workspaceNameOf?.(workspaceId);
      if (name !== undefined && Object.hasOwn(overrides, name)) return overrides[name];
    } catch (error) {
      // Unknown for now: ask again next time, and store nothing beyond metadata meanwhile (the safe side).
      this.modes.delete(workspaceId);
      this.logger.warn({ error: error instanceof Error ? error.message : String(error), workspaceId }, 'payload mode lookup failed');
      return 'metadata';
    }
    return this.policy.mode;
  }

  private capture({ row, request }: Pending, mode: Exclude<CaptureMode, 'off'>): CapturedRequest {
    return captureRequest(row, request.body(), request.outputText(), mode, this.policy.maxBytes, request.bodyText());
  }
}
