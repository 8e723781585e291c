import type { Clock, Logger } from '../../spec/index.js';
import { silentLogger } from '../../kit/silent-logger.js';
import { unrefTimerScheduler, type FlushScheduler } from '../flush-scheduler.js';
import { dayOf } from '../ledger-row.js';
import type { PayloadStore } from '../payloads/payload-store.js';
import type { UsageLedger } from '../usage-ledger.js';

const dayMs = 86_400_000;

/** How long each kind of data is kept, in days (payloads shortest, rollups longest). */
export interface RetentionPolicy {
  /** Usage rows and the request metadata they are filtered by. */
  requestsDays: number;
  /** Prompt and completion text. */
  payloadsDays: number;
  /** Daily rollups. */
  rollupsDays: number;
}

/** Options of {@link RetentionJob}. */
export interface RetentionJobOptions {
  ledger: UsageLedger;
  payloads?: PayloadStore;
  policy: RetentionPolicy;
  clock: Clock;
  /** Rows deleted per statement (default 5,000): each statement, and the lock it takes, stays short. */
  batchSize?: number;
  /** Most batches of one kind per run (default 2,000): a run always ends; the next picks up the rest. */
  maxBatchesPerRun?: number;
  /** Awaited between two batches, so requests and other writers get their turn (default: the next macrotask). */
  pause?: () => Promise<void>;
  /** Runs the next pass after `intervalMs` (tests inject a manual scheduler). */
  scheduler?: FlushScheduler;
  logger?: Logger;
}

/** What one run deleted. */
export interface RetentionReport {
  requests: number;
  metadata: number;
  payloads: number;
  rollups: number;
  batches: number;
}

const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Enforces retention per kind of data: deletes what is older than its kind's days, oldest first, in bounded
 * batches with a pause between them, never one long statement. Rollups are written with the rows (see
 * `UsageLedger.append`), so history stays after the rows go.
 */
export class RetentionJob {
  private readonly options: RetentionJobOptions;
  private readonly batchSize: number;
  private readonly maxBatches: number;
  private readonly pause: () => Promise<void>;
  private readonly scheduler: FlushScheduler;
  private readonly logger: Logger;
  private cancel: (() => void) | undefined;
  private running: Promise<RetentionReport> | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = false;

  constructor(options: RetentionJobOptions) {
    this.options = options;
    this.batchSize = Math.max(1, options.batchSize ?? 5_000);
    this.maxBatches = Math.max(1, options.maxBatchesPerRun ?? 2_000);
    this.pause = options.pause ?? nextMacrotask;
    this.scheduler = options.scheduler ?? unrefTimerScheduler;
    this.logger = options.logger ?? silentLogger;
  }

  /** One pass over every kind of data. Concurrent calls share the pass in progress. */
  runOnce(): Promise<RetentionReport> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /**
   * Runs a pass now and then every `intervalMs` until {@link stop}; a failed pass is logged and the next one
   * still runs. Resolves when the first pass has ended (and the next is scheduled).
   */
  start(intervalMs: number): Promise<void> {
    this.stopped = false;
    const tick = (): Promise<void> => {
      this.cancel = undefined;
      this.ticking = this.runOnce()
        .then((report) => {
          if (report.batches > 0) this.logger.info({ ...report }, 'retention pass');
        })
        .catch((error: unknown) => this.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'retention pass failed'))
        .finally(() => {
          if (!this.stopped) this.cancel = this.scheduler.schedule(() => void tick(), intervalMs);
        });
      return this.ticking;
    };
    return tick();
  }

  /** Stops scheduling passes and waits for the one in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancel?.();
    this.cancel = undefined;
    await this.ticking;
    await this.running?.catch(() => undefined);
  }

  private async pass(): Promise<RetentionReport> {
    const { ledger, payloads, policy, clock } = this.options;
    const now = clock.now();
    const report: RetentionReport = { requests: 0, metadata: 0, payloads: 0, rollups: 0, batches: 0 };
    const requestsBefore = now - policy.requestsDays * dayMs;
    if (payloads !== undefined) {
      report.payloads = await this.inBatches(report, (limit) => payloads.prune(now - policy.payloadsDays * dayMs, limit));
      report.metadata = await this.inBatches(report, (limit) => payloads.pruneMetadata(requestsBefore, limit));
    }
    report.requests = await this.inBatches(report, (limit) => ledger.prune(requestsBefore, limit));
    report.rollups = await this.inBatches(report, () => ledger.pruneRollups(dayOf(now - policy.rollupsDays * dayMs)));
    return report;
  }

  private async inBatches(report: RetentionReport, deleteBatch: (limit: number) => Promise<number>): Promise<number> {
    let total = 0;
    for (let batch = 0; batch < this.maxBatches && !this.stopped; batch += 1) {
      const deleted = await deleteBatch(this.batchSize);
      if (deleted === 0) break;
      total += deleted;
      report.batches += 1;
      await this.pause();
    }
    return total;
  }
}

/** The policy from config: `ledger.retention` with `ledger.retentionDays` as the rows' default (older configs). */
export function retentionPolicyOf(ledger: { retentionDays: number; retention?: Partial<RetentionPolicy> }): RetentionPolicy {
  const requestsDays = ledger.retention?.requestsDays ?? ledger.retentionDays;
  return {
    requestsDays,
    // Payloads never outlive their rows.
    payloadsDays: Math.min(ledger.retention?.payloadsDays ?? 30, requestsDays),
    rollupsDays: Math.max(ledger.retention?.rollupsDays ?? 730, 1),
  };
}
