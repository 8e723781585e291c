import { z } from 'zod';
import { genAi } from './gen-ai-attributes.js';
import { normaliseUsageAttributes, type ForeignPricing } from './gen-ai-usage.js';
import type { ObservationOwner } from './observation-ingestion.js';
import type { AttributeValue, SpanKind, TraceSpan } from './trace-types.js';

type AnyValue = { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean; arrayValue?: { values?: AnyValue[] }; kvlistValue?: unknown; bytesValue?: string };

const anyValueSchema: z.ZodType<AnyValue> = z.lazy(() =>
  z.looseObject({
    stringValue: z.string().optional(),
    intValue: z.union([z.string(), z.number()]).optional(),
    doubleValue: z.number().optional(),
    boolValue: z.boolean().optional(),
    arrayValue: z.looseObject({ values: z.array(anyValueSchema).optional() }).optional(),
    kvlistValue: z.unknown().optional(),
    bytesValue: z.string().optional(),
  }),
);
const keyValuesSchema = z.array(z.looseObject({ key: z.string(), value: anyValueSchema.optional() })).optional();
const nanosSchema = z.union([z.string().regex(/^\d+$/), z.number().nonnegative()]);
const otlpSpanSchema = z.looseObject({
  traceId: z.string(),
  spanId: z.string(),
  parentSpanId: z.string().optional(),
  name: z.string().min(1),
  kind: z.union([z.number(), z.string()]).optional(),
  startTimeUnixNano: nanosSchema,
  endTimeUnixNano: nanosSchema.optional(),
  attributes: keyValuesSchema,
  status: z.looseObject({ code: z.union([z.number(), z.string()]).optional() }).optional(),
});

/** `ExportTraceServiceRequest` in the OTLP JSON encoding, read leniently: a bad span is rejected alone. */
export const exportTraceServiceRequestSchema = z.looseObject({
  resourceSpans: z
    .array(
      z.looseObject({
        resource: z.looseObject({ attributes: keyValuesSchema }).optional(),
        scopeSpans: z.array(z.looseObject({ spans: z.array(z.unknown()).optional() })).optional(),
      }),
    )
    .default([]),
});

/** The spans read from an export request, and what was rejected. */
export interface DecodedOtlpSpans {
  spans: TraceSpan[];
  rejected: number;
  /** The first rejection's reason. */
  errorMessage?: string;
}

/** OTLP/JSON ids are hex; some exporters send the protobuf bytes base64-encoded instead. */
function hexId(value: string, bytes: number): string | undefined {
  const lower = value.toLowerCase();
  if (new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(lower)) return /^0+$/.test(lower) ? undefined : lower;
  if (value.length === Math.ceil(bytes / 3) * 4) {
    const decoded = Buffer.from(value, 'base64');
    if (decoded.length === bytes) return hexId(decoded.toString('hex'), bytes);
  }
  return undefined;
}

function attributeOf(value: AnyValue | undefined): AttributeValue | undefined {
  if (value === undefined) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map((item) => String(attributeOf(item) ?? '')).join(',');
  if (value.kvlistValue !== undefined) return JSON.stringify(value.kvlistValue);
  return undefined;
}

function millisecondsOf(nanos: string | number): number {
  return typeof nanos === 'number' ? nanos / 1e6 : Number(BigInt(nanos) / 1_000_000n);
}

// Where a foreign span's GenAI operation puts it among the observation kinds.
function kindOf(attributes: Record<string, AttributeValue>): SpanKind {
  switch (attributes[genAi.operationName]) {
    case 'chat':
    case 'text_completion':
    case 'generate_content':
    case 'embeddings':
      return 'generation';
    case 'execute_tool':
      return 'tool';
    case 'retrieval':
      return 'retrieval';
    default:
      return 'span';
  }
}

const sessionAttributes = ['session.id', genAi.conversationId, 'langfuse.session.id'];

/**
 * The spans of an OTLP/HTTP JSON export (`POST /v1/traces`), as observations of the sender: GenAI usage is
 * normalised (older names too) and priced; resource attribute `service.name` is kept on each span. A span
 * with invalid ids or times is rejected and counted, the rest are kept (OTLP's partial success).
 */
export function decodeOtlpSpans(request: z.infer<typeof exportTraceServiceRequestSchema>, owner: ObservationOwner, pricing: ForeignPricing | undefined): DecodedOtlpSpans {
  const decoded: DecodedOtlpSpans = { spans: [], rejected: 0 };
  const reject = (message: string) => {
    decoded.rejected += 1;
    decoded.errorMessage ??= message;
  };
  for (const resourceSpans of request.resourceSpans) {
    const serviceName = attributeOf(resourceSpans.resource?.attributes?.find((attribute) => attribute.key === 'service.name')?.value);
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const raw of scopeSpans.spans ?? []) {
        const parsed = otlpSpanSchema.safeParse(raw);
        if (!parsed.success) {
          reject(`invalid span: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
          continue;
        }
        const span = parsed.data;
        const traceId = hexId(span.traceId, 16);
        const spanId = hexId(span.spanId, 8);
        const parentSpanId = span.parentSpanId === undefined || span.parentSpanId === '' ? undefined : hexId(span.parentSpanId, 8);
        if (traceId === undefined || spanId === undefined || (span.parentSpanId && parentSpanId === undefined)) {
          reject(`span ${span.name}: traceId, spanId and parentSpanId must be hex ids of 16 and 8 bytes`);
          continue;
        }
        const attributes: Record<string, AttributeValue> = {};
        for (const attribute of span.attributes ?? []) {
          const value = attributeOf(attribute.value);
          if (value !== undefined) attributes[attribute.key] = value;
        }
        if (serviceName !== undefined && attributes['service.name'] === undefined) attributes['service.name'] = serviceName;
        normaliseUsageAttributes(attributes, pricing);
        const startTime = millisecondsOf(span.startTimeUnixNano);
        const endTime = span.endTimeUnixNano === undefined ? startTime : Math.max(startTime, millisecondsOf(span.endTimeUnixNano));
        const code = span.status?.code;
        const result: TraceSpan = {
          traceId,
          spanId,
          name: span.name,
          kind: kindOf(attributes),
          startTime: Math.round(startTime),
          endTime: Math.round(endTime),
          status: code === 2 || code === 'STATUS_CODE_ERROR' ? 'error' : 'ok',
          attributes,
        };
        if (parentSpanId !== undefined) result.parentSpanId = parentSpanId;
        const sessionId = sessionAttributes.map((name) => attributes[name]).find((value) => typeof value === 'string' && value !== '');
        if (typeof sessionId === 'string') result.sessionId = sessionId;
        if (owner.organisationId !== undefined) result.organisationId = owner.organisationId;
        if (owner.workspaceId !== undefined) result.workspaceId = owner.workspaceId;
        decoded.spans.push(result);
      }
    }
  }
  return decoded;
}
