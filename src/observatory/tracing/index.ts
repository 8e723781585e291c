export { genAi, switchyardAttributes } from './gen-ai-attributes.js';
export { catalogPricing, normaliseUsageAttributes, usageOfAttributes, type ForeignPricing } from './gen-ai-usage.js';
export { MemoryTraceStore } from './memory-trace-store.js';
export { observationSchema, spanOfObservation, type Observation } from './observation-ingestion.js';
export { toExportTraceServiceRequest, type ExportTraceServiceRequest } from './otlp-encoding.js';
export { encodeExportTraceServiceResponse } from './otlp-protobuf.js';
export { createOtlpSender, tracesUrlOf, type OtlpExportTarget } from './otlp-exporter.js';
export { buildRequestSpans } from './request-spans.js';
export { TracePropagation, type RequestTimeline, type RequestTrace } from './request-timeline.js';
export { SqlTraceStore } from './sql-trace-store.js';
export {
  createScore,
  getTrace,
  ingestObservations,
  ingestOtlpProtobuf,
  ingestOtlpTraces,
  listTraces,
  listTracesQuerySchema,
  traceScopeOf,
  type IngestionResult,
  type TraceAdminDependencies,
} from './trace-admin.js';
export { formatTraceParent, parseTraceParent } from './trace-ids.js';
export type { StoredTrace, TracePage, TraceStore } from './trace-store.js';
export { scoreInputSchema, type ScoreRule } from './trace-scores.js';
export { storedTraceSchema, traceScoreSchema, traceSpanSchema, traceSummarySchema, type SpanKind, type TraceQuery, type TraceScore, type TraceSpan, type TraceSummary } from './trace-types.js';
export { Tracer, type TracerOptions } from './tracer.js';
