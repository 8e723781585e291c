import type { LedgerRow } from './ledger-row.js';
import type { RequestTimeline } from './tracing/request-timeline.js';

/**
 * What an observer may read of a finished request beyond its ledger row. Everything is read lazily: most
 * observers need none of it, and turning a request back into text costs time on the hot path.
 */
export interface ObservedRequest {
  /** The client's parsed JSON body as it came (undefined when the request never got that far). */
  body(): unknown;
  /**
   * The JSON text `body()` was parsed from, exactly as the client sent it; undefined when there is none or a
   * stage replaced the body since (masking does), so the caller encodes `body()` itself.
   */
  bodyText(): string | undefined;
  /** The text (and tool-call arguments) the client was sent, joined; '' when there was none. */
  outputText(): string;
  /** The W3C `traceparent` header the client sent, if any. */
  readonly traceparent?: string;
  /** Stage timings, attempts and trace ids of the request (the request context itself), for its spans. */
  readonly timeline?: RequestTimeline;
}

/**
 * Sees every finished request, once, right after its ledger row is queued (success, error and client
 * abort alike): payload capture, traces and alert windows hang off this. It runs on the request's own
 * turn, so it must not block, do I/O inline, or throw (queue work, catch your own errors).
 */
export interface RequestObserver {
  observe(row: LedgerRow, request: ObservedRequest): void;
  /**
   * True when `observe` may call `outputText()`: only then does a forwarded stream keep its chunks until it
   * ends (the other observers read the row alone, and keeping a stream costs memory and time).
   */
  readonly readsOutputText?: boolean;
}
