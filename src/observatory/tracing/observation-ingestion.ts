import { z } from 'zod';
import { genAi, switchyardAttributes } from './gen-ai-attributes.js';
import { attributesOfUsage, normaliseUsageAttributes, type ForeignPricing } from './gen-ai-usage.js';
import type { AttributeValue, SpanKind, TraceSpan } from './trace-types.js';

/** A trace id: 32 hex digits, or a UUID (its 32 digits are used). */
export const traceIdSchema = z
  .string()
  .trim()
  .transform((value) => value.toLowerCase().replaceAll('-', ''))
  .pipe(z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 hex digits (a W3C trace id) or a UUID').refine((value) => !/^0+$/.test(value), 'must not be all zeros'));

const timeSchema = z.union([z.number().nonnegative(), z.iso.datetime({ offset: true }).transform((value) => Date.parse(value))]);
const tokensSchema = z.number().int().nonnegative();
const attributeValueSchema = z.union([z.string(), z.number(), z.boolean()]);

/** One observation an application sends (`POST /v1/observations`). */
export const observationSchema = z.strictObject({
  type: z.enum(['span', 'generation', 'tool', 'retrieval', 'event']),
  traceId: traceIdSchema,
  id: z.string().trim().min(1).max(128),
  parentId: z.string().trim().min(1).max(128).optional(),
  sessionId: z.string().trim().min(1).max(256).optional(),
  name: z.string().trim().min(1).max(512),
  startTime: timeSchema,
  /** Defaults to the start (an event has no duration). */
  endTime: timeSchema.optional(),
  status: z.enum(['ok', 'error']).default('ok'),
  input: z.unknown().optional(),
  output: z.unknown().optional(),
  /** The model a generation used (its price gives the cost). */
  model: z.string().trim().min(1).optional(),
  /** The provider, as a GenAI provider name (`openai`, `anthropic`, `gcp.gemini`, ...). */
  provider: z.string().trim().min(1).optional(),
  /** Tokens in exclusive buckets: `inputTokens` is the uncached prompt, `outputTokens` excludes reasoning. */
  usage: z
    .strictObject({
      inputTokens: tokensSchema.optional(),
      outputTokens: tokensSchema.optional(),
      cacheReadTokens: tokensSchema.optional(),
      cacheWriteTokens: tokensSchema.optional(),
      reasoningTokens: tokensSchema.optional(),
    })
    .optional(),
  /** Extra attributes (GenAI ones included; `gen_ai.usage.*` here is normalised like an OTLP span's). */
  metadata: z.record(z.string().min(1), attributeValueSchema).optional(),
});

export type Observation = z.infer<typeof observationSchema>;

const operationOf: Partial<Record<Observation['type'], string>> = { generation: 'chat', tool: 'execute_tool', retrieval: 'retrieval' };

/** Who sent an observation: its spans are stored as theirs. */
export interface ObservationOwner {
  organisationId?: string;
  workspaceId?: string;
}

/**
 * An observation as a span: the type becomes the span kind, the model, provider and usage become GenAI
 * attributes (inclusive counts), and the cost is computed from the price table when the model is known.
 */
export function spanOfObservation(observation: Observation, owner: ObservationOwner, pricing: ForeignPricing | undefined): TraceSpan {
  const attributes: Record<string, AttributeValue> = { ...observation.metadata, [switchyardAttributes.observationType]: observation.type };
  const operation = operationOf[observation.type];
  if (operation !== undefined && attributes[genAi.operationName] === undefined) attributes[genAi.operationName] = operation;
  if (observation.type === 'tool' && attributes[genAi.toolName] === undefined) attributes[genAi.toolName] = observation.name;
  if (observation.model !== undefined) attributes[genAi.requestModel] = observation.model;
  if (observation.provider !== undefined) attributes[genAi.providerName] = observation.provider;
  if (observation.sessionId !== undefined) attributes[genAi.conversationId] = observation.sessionId;
  if (observation.usage !== undefined) Object.assign(attributes, attributesOfUsage(observation.usage));
  normaliseUsageAttributes(attributes, pricing);
  const span: TraceSpan = {
    traceId: observation.traceId,
    spanId: observation.id,
    name: observation.name,
    kind: observation.type as SpanKind,
    startTime: observation.startTime,
    endTime: Math.max(observation.startTime, observation.endTime ?? observation.startTime),
    status: observation.status,
    attributes,
  };
  if (observation.parentId !== undefined) span.parentSpanId = observation.parentId;
  if (observation.sessionId !== undefined) span.sessionId = observation.sessionId;
  if (observation.input !== undefined) span.input = observation.input;
  if (observation.output !== undefined) span.output = observation.output;
  if (owner.organisationId !== undefined) span.organisationId = owner.organisationId;
  if (owner.workspaceId !== undefined) span.workspaceId = owner.workspaceId;
  return span;
}
