import type { Clock, Logger } from '../../spec/index.js';
import { silentLogger } from '../../kit/silent-logger.js';
import { unrefTimerScheduler, type FlushScheduler } from '../flush-scheduler.js';
import type { LedgerRow } from '../ledger-row.js';
import type { ObservedRequest, RequestObserver } from '../request-observer.js';
import { buildRequestSpans } from './request-spans.js';
import { SpanQueue, type SpanQueueStats } from './span-queue.js';
import { isSampled, parseTraceParent } from './trace-ids.js';
import type { TraceStore } from './trace-store.js';
import { applyScoreRules, type ScoreRule } from './trace-scores.js';
import type { TraceScore, TraceSpan } from './trace-types.js';

/** Options of {@link Tracer}. */
export interface TracerOptions {
  /** Where applications' spans and scores are kept for the admin API and the dashboard; absent: not stored. */
  store?: TraceStore;
  /** The OTLP sender; absent: not exported. */
  export?: (spans: TraceSpan[]) => Promise<void>;
  /** Share of traces exported (0..1); a client's sampled `traceparent` is always followed. */
  sampleRatio: number;
  scoreRules?: readonly ScoreRule[];
  clock: Clock;
  logger?: Logger;
  scheduler?: FlushScheduler;
  /** How often finished requests become exported spans and queued spans and scores are written (default 500 ms). */
  intervalMs?: number;
  /** Bound of requests waiting to be exported, and of each span queue (default 10,000 / 20,000). */
  maxPendingRequests?: number;
  maxQueuedSpans?: number;
  /** First delay after a failed write or export, doubled per failure (default 1,000 ms). */
  retryDelayMs?: number;
}

/** Bound of rule scores waiting to be written (beyond it new ones are dropped and counted). */
const maxPendingScores = 10_000;

/**
 * The gateway's tracing, as a {@link RequestObserver} and the entry for applications' own observations.
 * A gateway request's spans are not built or stored per request: its ledger row carries its trace (see
 * `TracePropagation.ledgerTraceOf`) and the trace store derives the spans from the row when a trace is read.
 * What is left on the request's turn is cheap: the score rules' check, and, only when an OTLP exporter is
 * configured and the trace is sampled, keeping the row until the next export build (off the request's turn).
 */
export class Tracer implements RequestObserver {
  private readonly storeQueue?: SpanQueue;
  private readonly exportQueue?: SpanQueue;
  private readonly store?: TraceStore;
  private readonly sampleRatio: number;
  private readonly scoreRules: readonly ScoreRule[];
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly scheduler: FlushScheduler;
  private readonly intervalMs: number;
  private readonly retryDelayMs: number;
  private readonly maxPendingRequests: number;
  private pending: LedgerRow[] = [];
  private pendingScores: TraceScore[] = [];
  private cancelBuild: (() => void) | undefined;
  private cancelScoreWrite: (() => void) | undefined;
  private writingScores: Promise<void> | undefined;
  private scoreWriteFailures = 0;
  private droppedRequests = 0;
  private droppedScores = 0;

  constructor(options: TracerOptions) {
    this.store = options.store;
    this.sampleRatio = options.sampleRatio;
    this.scoreRules = options.store === undefined ? [] : (options.scoreRules ?? []);
    this.clock = options.clock;
    this.logger = options.logger ?? silentLogger;
    this.scheduler = options.scheduler ?? unrefTimerScheduler;
    this.intervalMs = options.intervalMs ?? 500;
    this.retryDelayMs = options.retryDelayMs ?? 1_000;
    this.maxPendingRequests = options.maxPendingRequests ?? 10_000;
    const queueOptions = { intervalMs: this.intervalMs, maxQueued: options.maxQueuedSpans, retryDelayMs: options.retryDelayMs, logger: this.logger, scheduler: this.scheduler };
    const store = options.store;
    if (store !== undefined) this.storeQueue = new SpanQueue({ ...queueOptions, name: 'trace store', sink: (spans) => store.appendSpans(spans) });
    if (options.export !== undefined) this.exportQueue = new SpanQueue({ ...queueOptions, name: 'OTLP export', sink: options.export });
  }

  observe(row: LedgerRow, request: ObservedRequest): void {
    const trace = row.trace;
    if (trace === undefined) return;
    if (this.scoreRules.length > 0) this.scoreRequest(row, trace.traceId, trace.requestSpanId);
    if (this.exportQueue === undefined) return;
    const sampled = request.timeline?.trace?.sampled ?? isSampled(trace.traceId, this.sampleRatio, parseTraceParent(request.traceparent)?.sampled);
    if (!sampled) return;
    if (this.pending.length >= this.maxPendingRequests) {
      this.droppedRequests += 1;
      if (this.droppedRequests === 1 || this.droppedRequests % 1000 === 0) this.logger.warn({ dropped: this.droppedRequests }, 'tracing: requests not exported (spans not built in time)');
      return;
    }
    this.pending.push(row);
    if (this.cancelBuild === undefined) this.cancelBuild = this.scheduler.schedule(() => this.buildPending(), this.intervalMs);
  }

  /** Queues an application's spans (already validated and owned) for storage and export. */
  ingest(spans: readonly TraceSpan[]): void {
    if (spans.length === 0) return;
    this.storeQueue?.push(spans);
    if (this.exportQueue !== undefined) {
      const sampled = spans.filter((span) => isSampled(span.traceId, this.sampleRatio, undefined));
      if (sampled.length > 0) this.exportQueue.push(sampled);
    }
  }

  /** Builds and writes everything pending now (tests, shutdown). */
  async flush(): Promise<void> {
    this.buildPending();
    await Promise.all([this.storeQueue?.flush(), this.exportQueue?.flush()]);
    await this.writingScores;
    await this.writeScores();
  }

  /** Builds what is pending and closes both queues (each tries to send what is left). */
  async close(): Promise<void> {
    this.buildPending();
    this.cancelScoreWrite?.();
    this.cancelScoreWrite = undefined;
    await Promise.all([this.storeQueue?.close(), this.exportQueue?.close()]);
    await this.writingScores;
    await this.writeScores().catch((error: Error) => this.logger.warn({ error: error.message }, 'tracing: rule scores lost at shutdown'));
  }

  stats(): { store?: SpanQueueStats; export?: SpanQueueStats; droppedRequests: number; droppedScores: number } {
    return { store: this.storeQueue?.stats(), export: this.exportQueue?.stats(), droppedRequests: this.droppedRequests, droppedScores: this.droppedScores };
  }

  private scoreRequest(row: LedgerRow, traceId: string, spanId: string): void {
    const scores = applyScoreRules(this.scoreRules, row, traceId, spanId, this.clock.now());
    if (scores.length === 0) return;
    if (this.pendingScores.length >= maxPendingScores) {
      this.droppedScores += scores.length;
      return;
    }
    for (const score of scores) this.pendingScores.push(score);
    this.scheduleScoreWrite(this.scoreWriteFailures === 0 ? this.intervalMs : Math.min(30_000, this.retryDelayMs * 2 ** Math.min(this.scoreWriteFailures - 1, 15)));
  }

  private scheduleScoreWrite(delayMs: number): void {
    if (this.cancelScoreWrite !== undefined || this.writingScores !== undefined) return;
    this.cancelScoreWrite = this.scheduler.schedule(() => {
      this.cancelScoreWrite = undefined;
      this.writingScores = this.writeScores().then(
        () => {
          this.scoreWriteFailures = 0;
        },
        (error: Error) => {
          this.scoreWriteFailures += 1;
          this.logger.warn({ error: error.message, failures: this.scoreWriteFailures }, 'tracing: writing rule scores failed; will retry');
        },
      ).finally(() => {
        this.writingScores = undefined;
        if (this.pendingScores.length > 0) this.scheduleScoreWrite(this.scoreWriteFailures === 0 ? this.intervalMs : Math.min(30_000, this.retryDelayMs * 2 ** Math.min(this.scoreWriteFailures - 1, 15)));
      });
    }, delayMs);
  }

  /** Turns the sampled requests kept for export into spans, off the request's turn. */
  private buildPending(): void {
    this.cancelBuild?.();
    this.cancelBuild = undefined;
    const pending = this.pending;
    if (pending.length === 0) return;
    this.pending = [];
    const exported: TraceSpan[] = [];
    for (const row of pending) {
      try {
        for (const span of buildRequestSpans(row)) exported.push(span);
      } catch (error) {
        this.logger.warn({ error: error instanceof Error ? error.message : String(error), requestId: row.id }, 'tracing: spans of a request not built');
      }
    }
    if (exported.length > 0) this.exportQueue?.push(exported);
  }

  private async writeScores(): Promise<void> {
    const store = this.store;
    const scores = this.pendingScores;
    if (store === undefined || scores.length === 0) return;
    this.pendingScores = [];
    for (let index = 0; index < scores.length; index += 1) {
      try {
        await store.addScore(scores[index]);
      } catch (error) {
        // Kept for the next write (the retry), not lost.
        this.pendingScores = scores.slice(index).concat(this.pendingScores);
        throw error;
      }
    }
  }
}
