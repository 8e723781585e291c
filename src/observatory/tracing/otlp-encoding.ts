import { genAi } from './gen-ai-attributes.js';
import type { AttributeValue, SpanKind, TraceSpan } from './trace-types.js';

/** An OTLP `AnyValue` in the protobuf JSON mapping (64-bit integers as strings). */
export type OtlpAnyValue =
  | { stringValue: string }
  | { intValue: string }
  | { doubleValue: number }
  | { boolValue: boolean }
  | { arrayValue: { values: OtlpAnyValue[] } };

/** An OTLP `KeyValue`. */
export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

/** An OTLP span in the JSON encoding. */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** 1 internal, 2 server, 3 client. */
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  /** 0 unset, 2 error. */
  status: { code: number };
}

/** `ExportTraceServiceRequest` of OTLP/HTTP with JSON encoding. */
export interface ExportTraceServiceRequest {
  resourceSpans: Array<{
    resource: { attributes: OtlpKeyValue[] };
    scopeSpans: Array<{ scope: { name: string; version: string }; spans: OtlpSpan[] }>;
  }>;
}

const otlpKindOf: Record<SpanKind, number> = { request: 2, attempt: 3, stage: 1, span: 1, generation: 1, tool: 1, retrieval: 1, event: 1 };

// Attributes that are string arrays in the conventions, kept comma-joined in the store.
const arrayAttributes: ReadonlySet<string> = new Set([genAi.responseFinishReasons]);

function anyValueOf(key: string, value: AttributeValue): OtlpAnyValue {
  if (typeof value === 'string') {
    return arrayAttributes.has(key) ? { arrayValue: { values: value.split(',').map((item) => ({ stringValue: item })) } } : { stringValue: value };
  }
  if (typeof value === 'boolean') return { boolValue: value };
  return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
}

/** Epoch milliseconds (possibly fractional) as OTLP's unix nanoseconds string. */
export function unixNanosOf(milliseconds: number): string {
  const whole = Math.floor(milliseconds);
  return (BigInt(whole) * 1_000_000n + BigInt(Math.round((milliseconds - whole) * 1_000_000))).toString();
}

/** Encodes one span. */
export function toOtlpSpan(span: TraceSpan): OtlpSpan {
  const encoded: OtlpSpan = {
    traceId: span.traceId,
    spanId: span.spanId,
    name: span.name,
    kind: otlpKindOf[span.kind],
    startTimeUnixNano: unixNanosOf(span.startTime),
    endTimeUnixNano: unixNanosOf(span.endTime),
    attributes: Object.entries(span.attributes).map(([key, value]) => ({ key, value: anyValueOf(key, value) })),
    status: { code: span.status === 'error' ? 2 : 0 },
  };
  if (span.parentSpanId !== undefined) encoded.parentSpanId = span.parentSpanId;
  return encoded;
}

/** One export request for a batch of the gateway's spans, under one resource (the service) and one scope. */
export function toExportTraceServiceRequest(spans: readonly TraceSpan[], resource: Record<string, string>, version: string): ExportTraceServiceRequest {
  return {
    resourceSpans: [
      {
        resource: { attributes: Object.entries(resource).map(([key, value]) => ({ key, value: { stringValue: value } })) },
        scopeSpans: [{ scope: { name: 'switchyard', version }, spans: spans.map(toOtlpSpan) }],
      },
    ],
  };
}
