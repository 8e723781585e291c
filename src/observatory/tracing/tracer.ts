import type { Clock, Logger } from '../../spec/index.js';
import { silentLogger } from '../../kit/silent-logger.js';
import { unrefTimerScheduler, type FlushScheduler } from '../flush-scheduler.js';
import type { LedgerRow } from '../ledger-row.js';
import type { ObservedRequest, RequestObserver } from '../request-observer.js';
import { buildRequestSpans } from './request-spans.js';
import type { RequestTimeline } from './request-timeline.js';
import { SpanQueue, type SpanQueueStats } from './span-queue.js';
import { isSampled } from './trace-ids.js';
import type { TraceStore } from './trace-store.js';
import { applyScoreRules, type ScoreRule } from './trace-scores.js';
import type { TraceScore, TraceSpan } from './trace-types.js';

/** Options of {@link Tracer}. */
export interface TracerOptions {
  /** Where spans are kept for the admin API and the dashboard; absent: not stored. */
  store?: TraceStore;
  /** The OTLP sender; absent: not exported. */
  export?: (spans: TraceSpan[]) => Promise<void>;
  /** Share of traces exported (0..1); a client's sampled `traceparent` is always followed. */
  sampleRatio: number;
  scoreRules?: readonly ScoreRule[];
  clock: Clock;
  logger?: Logger;
  scheduler?: FlushScheduler;
  /** How often finished requests become spans and queued spans are written (default 500 ms). */
  intervalMs?: number;
  /** Bound of requests waiting to become spans, and of each span queue (default 10,000 / 20,000). */
  maxPendingRequests?: number;
  maxQueuedSpans?: number;
  /** First delay after a failed write or export, doubled per failure (default 1,000 ms). */
  retryDelayMs?: number;
}

interface PendingRequest {
  row: LedgerRow;
  timeline?: RequestTimeline;
  traceparent?: string;
  sessionId?: string;
}

/**
 * The gateway's tracing: a {@link RequestObserver} that, off the request's turn, turns each finished
 * request into spans (see `buildRequestSpans`), scores it with the configured rules, and queues the spans
 * for the trace store and the OTLP exporter; and the entry for applications' own observations. On the
 * request's turn it only appends to an array.
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
  private readonly maxPendingRequests: number;
  private pending: PendingRequest[] = [];
  private pendingScores: TraceScore[] = [];
  private cancelBuild: (() => void) | undefined;
  private droppedRequests = 0;

  constructor(options: TracerOptions) {
    this.store = options.store;
    this.sampleRatio = options.sampleRatio;
    this.scoreRules = options.scoreRules ?? [];
    this.clock = options.clock;
    this.logger = options.logger ?? silentLogger;
    this.scheduler = options.scheduler ?? unrefTimerScheduler;
    this.intervalMs = options.intervalMs ?? 500;
    this.maxPendingRequests = options.maxPendingRequests ?? 10_000;
    const queueOptions = { intervalMs: this.intervalMs, maxQueued: options.maxQueuedSpans, retryDelayMs: options.retryDelayMs, logger: this.logger, scheduler: this.scheduler };
    const store = options.store;
    if (store !== undefined) {
      this.storeQueue = new SpanQueue({
        ...queueOptions,
        name: 'trace store',
        sink: async (spans) => {
          await store.appendSpans(spans);
          await this.writeScores(store);
        },
      });
    }
    if (options.export !== undefined) this.exportQueue = new SpanQueue({ ...queueOptions, name: 'OTLP export', sink: options.export });
  }

  observe(row: LedgerRow, request: ObservedRequest): void {
    if (this.pending.length >= this.maxPendingRequests) {
      this.droppedRequests += 1;
      if (this.droppedRequests === 1 || this.droppedRequests % 1000 === 0) this.logger.warn({ dropped: this.droppedRequests }, 'tracing: requests dropped (spans not built in time)');
      return;
    }
    // Only what the spans need is kept (not the request context with its body), until the next build.
    const timeline = request.timeline;
    this.pending.push({
      row,
      timeline:
        timeline === undefined
          ? undefined
          : { startedMonotonic: timeline.startedMonotonic, attempts: timeline.attempts, authenticatedMonotonic: timeline.authenticatedMonotonic, governedMonotonic: timeline.governedMonotonic, trace: timeline.trace },
      traceparent: request.traceparent,
      sessionId: sessionIdOf(request.body()),
    });
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
    if (this.store !== undefined) await this.writeScores(this.store);
  }

  /** Builds what is pending and closes both queues (each tries to send what is left). */
  async close(): Promise<void> {
    this.buildPending();
    await Promise.all([this.storeQueue?.close(), this.exportQueue?.close()]);
    if (this.store !== undefined) await this.writeScores(this.store).catch((error: Error) => this.logger.warn({ error: error.message }, 'tracing: rule scores lost at shutdown'));
  }

  stats(): { store?: SpanQueueStats; export?: SpanQueueStats; droppedRequests: number } {
    return { store: this.storeQueue?.stats(), export: this.exportQueue?.stats(), droppedRequests: this.droppedRequests };
  }

  private buildPending(): void {
    this.cancelBuild?.();
    this.cancelBuild = undefined;
    const pending = this.pending;
    if (pending.length === 0) return;
    this.pending = [];
    const stored: TraceSpan[] = [];
    const exported: TraceSpan[] = [];
    for (const request of pending) {
      try {
        const { spans, sampled } = buildRequestSpans({
          row: request.row,
          timeline: request.timeline,
          traceparent: request.traceparent,
          sessionId: request.sessionId,
          sampleRatio: this.sampleRatio,
        });
        for (const span of spans) stored.push(span);
        if (sampled) for (const span of spans) exported.push(span);
        if (this.scoreRules.length > 0 && this.store !== undefined && this.pendingScores.length < 10_000) {
          this.pendingScores.push(...applyScoreRules(this.scoreRules, request.row, spans[0].traceId, spans[0].spanId, this.clock.now()));
        }
      } catch (error) {
        this.logger.warn({ error: error instanceof Error ? error.message : String(error), requestId: request.row.id }, 'tracing: spans of a request not built');
      }
    }
    if (stored.length > 0) this.storeQueue?.push(stored);
    if (exported.length > 0) this.exportQueue?.push(exported);
  }

  private async writeScores(store: TraceStore): Promise<void> {
    const scores = this.pendingScores;
    if (scores.length === 0) return;
    this.pendingScores = [];
    for (let index = 0; index < scores.length; index += 1) {
      try {
        await store.addScore(scores[index]);
      } catch (error) {
        // Kept for the next write (the store's retry), not lost.
        this.pendingScores = scores.slice(index).concat(this.pendingScores);
        throw error;
      }
    }
  }
}

/** A session id the client put in the request's metadata (`session_id` or `sessionId`), if any. */
function sessionIdOf(body: unknown): string | undefined {
  const metadata = (body as { metadata?: unknown } | undefined)?.metadata;
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const value = (metadata as Record<string, unknown>).session_id ?? (metadata as Record<string, unknown>).sessionId;
  return typeof value === 'string' && value !== '' && value.length <= 256 ? value : undefined;
}
