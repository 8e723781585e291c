import { request } from 'undici';
import type { Logger } from '../../spec/index.js';
import { toExportTraceServiceRequest } from './otlp-encoding.js';
import type { TraceSpan } from './trace-types.js';

/** Where and how spans are exported (config `tracing.otlp`, secrets already resolved). */
export interface OtlpExportTarget {
  /** The collector's traces URL; a URL with no path gets the standard `/v1/traces`. */
  endpoint: string;
  headers: Record<string, string>;
  /** Longest wait for the collector's answer (default 10 s). */
  timeoutMs?: number;
  /** Resource attributes of every span (`service.name`, ...). */
  resource: Record<string, string>;
  version: string;
  logger: Logger;
}

/** The traces URL of an endpoint: as given, or with `/v1/traces` when it names only the collector. */
export function tracesUrlOf(endpoint: string): string {
  const url = new URL(endpoint);
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/v1/traces';
  return url.toString();
}

/**
 * The OTLP/HTTP JSON send of one batch (the sink of the export {@link SpanQueue}). A 429 or 5xx answer or a
 * network failure rejects, so the queue retries the batch; any other refusal (400, 401, ...) would fail
 * again the same way, so the batch is dropped with a warning.
 */
export function createOtlpSender(target: OtlpExportTarget): (spans: TraceSpan[]) => Promise<void> {
  const url = tracesUrlOf(target.endpoint);
  const timeout = target.timeoutMs ?? 10_000;
  return async (spans) => {
    const body = JSON.stringify(toExportTraceServiceRequest(spans, target.resource, target.version));
    const response = await request(url, {
      method: 'POST',
      headers: { ...target.headers, 'content-type': 'application/json' },
      body,
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    const text = await response.body.text().catch(() => '');
    if (response.statusCode >= 200 && response.statusCode < 300) return;
    if (response.statusCode === 429 || response.statusCode >= 500) throw new Error(`collector answered ${response.statusCode}`);
    target.logger.warn({ status: response.statusCode, spans: spans.length, answer: text.slice(0, 200) }, 'OTLP collector refused spans; dropped');
  };
}
