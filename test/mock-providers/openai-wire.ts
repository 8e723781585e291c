import type { MockBehaviour, MockUsage } from './mock-provider.js';
import {
  fragment,
  handleTransportBehaviour,
  resetMidBody,
  resolveUsage,
  runStream,
  sendJson,
  sseFrame,
  textChunksOf,
} from './mock-server.js';
import type { MockExchange, StreamPlan } from './mock-server.js';

/**
 * The OpenAI Chat Completions / Embeddings / Models wire, shared by the OpenAI and Azure OpenAI mocks.
 * Shapes follow components.schemas of shared/specs/openai/openapi.yaml.
 */

/** Extra fields a dialect (Azure) adds to bodies and chunks. */
export interface OpenAIWireFlavour {
  /** Prefix frames of a stream (Azure: the prompt_filter_results chunk). */
  streamPreamble?: (model: string) => unknown[];
  /** Fields merged into each choice (Azure: content_filter_results). */
  choiceExtras?: () => Record<string, unknown>;
  /** Fields merged into the non-stream body (Azure: prompt_filter_results). */
  bodyExtras?: () => Record<string, unknown>;
  /** Headers on every response. */
  headers: () => Record<string, string>;
}

const CREATED = 1_767_225_600; // 2026-01-01T00:00:00Z: fixed so outputs are deterministic

/** Default error `type`/`code` per HTTP status (see shared/specs/NOTES.md §3). */
export function openAIErrorBody(status: number, message?: string, type?: string): { error: Record<string, unknown> } {
  const defaults: Record<number, [string, string | null, string]> = {
    400: ['invalid_request_error', null, 'Invalid request.'],
    401: ['invalid_request_error', 'invalid_api_key', 'Incorrect API key provided.'],
    403: ['invalid_request_error', 'unsupported_country_region_territory', 'Country, region, or territory not supported.'],
    404: ['invalid_request_error', 'model_not_found', 'The model does not exist or you do not have access to it.'],
    409: ['invalid_request_error', null, 'Conflict.'],
    422: ['invalid_request_error', null, 'Unprocessable entity.'],
    429: ['requests', 'rate_limit_exceeded', 'Rate limit reached for requests. Please try again in 1s.'],
  };
  const [defaultType, code, defaultMessage] =
    defaults[status] ?? (status >= 500 ? ['server_error', null, 'The server had an error while processing your request.'] : ['invalid_request_error', null, 'Request failed.']);
  // A quota denial carries its name as both type and code (see NOTES.md §3).
  const resolvedCode = type === 'insufficient_quota' ? 'insufficient_quota' : code;
  return { error: { message: message ?? defaultMessage, type: type ?? defaultType, param: null, code: resolvedCode } };
}

/** Sends an `error` behaviour (status, headers, default or overridden body). */
export function sendOpenAIError(exchange: MockExchange, behaviour: Extract<MockBehaviour, { kind: 'error' }>, flavour: OpenAIWireFlavour): void {
  const body = behaviour.body ?? openAIErrorBody(behaviour.status, behaviour.message, behaviour.type);
  sendJson(exchange.response, behaviour.status, body, { ...flavour.headers(), ...behaviour.headers });
}

export function openAIUsage(usage: MockUsage): Record<string, unknown> {
  const prompt = usage.input + usage.cacheRead + usage.cacheWrite;
  const completion = usage.output + usage.reasoning;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: usage.cacheRead, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: usage.reasoning,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

interface ToolCallWire {
  id: string;
  name: string;
  argumentsJson: string;
}

function toolCallsOf(behaviour: MockBehaviour, idPrefix: string): ToolCallWire[] {
  if (behaviour.kind !== 'tool-calls') return [];
  return behaviour.calls.map((call, index) => ({
    id: call.id ?? `call_${idPrefix}_${index}`,
    name: call.name,
    argumentsJson: JSON.stringify(call.arguments),
  }));
}

/** Handles one chat completion request with one behaviour (JSON or SSE, by `stream`). */
export async function handleOpenAIChat(
  exchange: MockExchange,
  behaviour: MockBehaviour,
  model: string,
  flavour: OpenAIWireFlavour,
): Promise<void> {
  if (handleTransportBehaviour(behaviour, exchange)) return;
  if (behaviour.kind === 'error') return sendOpenAIError(exchange, behaviour, flavour);
  const body = (exchange.body ?? {}) as Record<string, unknown>;
  const server = exchange.server;
  const id = `chatcmpl-mock${server.nextId()}`;
  const choiceCount = typeof body.n === 'number' && body.n > 1 ? Math.floor(body.n) : 1;
  const textChunks = textChunksOf(behaviour, server.providerName);
  const toolCalls = toolCallsOf(behaviour, id.slice(-6));
  const finishReason = toolCalls.length > 0 ? 'tool_calls' : 'stop';
  const argumentFragments = toolCalls.map((call) => fragment(call.argumentsJson, 3));
  const contentCount = textChunks.length + argumentFragments.reduce((sum, parts) => sum + parts.length, 0);
  const usage = resolveUsage(behaviour, body, contentCount);
  const omitUsage = behaviour.kind === 'text' && behaviour.omitUsage === true;
  const choiceExtras = flavour.choiceExtras?.() ?? {};

  if (body.stream !== true) {
    if (behaviour.kind === 'error-mid-stream') {
      return sendOpenAIError(exchange, { kind: 'error', status: behaviour.status ?? 500, message: behaviour.message, type: behaviour.type }, flavour);
    }
    const text = textChunks.join('');
    const message: Record<string, unknown> = {
      role: 'assistant',
      content: toolCalls.length > 0 && text === '' ? null : text,
      refusal: null,
      annotations: [],
    };
    if (toolCalls.length > 0) {
      message.tool_calls = toolCalls.map((call) => ({
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: call.argumentsJson },
      }));
    }
    const completion = {
      id,
      object: 'chat.completion',
      created: CREATED,
      model,
      choices: Array.from({ length: choiceCount }, (_, index) => ({
        index,
        message,
        logprobs: null,
        finish_reason: finishReason,
        ...choiceExtras,
      })),
      ...(omitUsage ? {} : { usage: openAIUsage(usage) }),
      service_tier: 'default',
      system_fingerprint: 'fp_mock',
      ...flavour.bodyExtras?.(),
    };
    if (behaviour.kind === 'reset-mid-stream') return resetMidBody(exchange, completion);
    if (!(await server.wait(behaviour.kind === 'text' ? behaviour.delayMs : 0))) return;
    return sendJson(exchange.response, 200, completion, flavour.headers());
  }

  const streamOptions = (body.stream_options ?? {}) as Record<string, unknown>;
  const includeUsage = streamOptions.include_usage === true && !omitUsage;
  const includeObfuscation = streamOptions.include_obfuscation !== false;
  const chunk = (choices: unknown[], usageValue?: unknown): string => {
    const frame: Record<string, unknown> = {
      id,
      object: 'chat.completion.chunk',
      created: CREATED,
      model,
      service_tier: 'default',
      system_fingerprint: 'fp_mock',
      choices,
    };
    if (includeUsage) frame.usage = usageValue ?? null;
    if (includeObfuscation) frame.obfuscation = 'mock';
    return sseFrame(frame);
  };
  const eachChoice = (delta: Record<string, unknown>, finish: string | null): unknown[] =>
    Array.from({ length: choiceCount }, (_, index) => ({ index, delta, logprobs: null, finish_reason: finish, ...choiceExtras }));

  const plan: StreamPlan = { head: [], chunks: [], tail: [] };
  for (const preamble of flavour.streamPreamble?.(model) ?? []) plan.head.push(sseFrame(preamble));
  plan.head.push(chunk(eachChoice({ role: 'assistant', content: toolCalls.length > 0 && textChunks.length === 0 ? null : '', refusal: null }, null)));
  for (const text of textChunks) plan.chunks.push(chunk(eachChoice({ content: text }, null)));
  toolCalls.forEach((call, index) => {
    plan.chunks.push(
      chunk(eachChoice({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }, null)),
    );
    for (const part of argumentFragments[index]) {
      plan.chunks.push(chunk(eachChoice({ tool_calls: [{ index, function: { arguments: part } }] }, null)));
    }
  });
  plan.tail.push(chunk(eachChoice({}, finishReason)));
  if (includeUsage) plan.tail.push(chunk([], openAIUsage(usage)));
  plan.tail.push(sseFrame('[DONE]'));

  const errorFrame =
    behaviour.kind === 'error-mid-stream'
      ? sseFrame(openAIErrorBody(behaviour.status ?? 500, behaviour.message, behaviour.type))
      : undefined;
  await runStream(exchange, behaviour, plan, { contentType: 'text/event-stream; charset=utf-8', headers: flavour.headers(), errorFrame });
}

/** A deterministic unit-ish vector for an input (so different inputs give different vectors). */
export function embeddingVector(input: string, dimensions = 8): number[] {
  const vector: number[] = [];
  for (let index = 0; index < dimensions; index++) {
    const code = input.length === 0 ? 0 : input.charCodeAt(index % input.length);
    vector.push(Math.round(((code * (index + 1)) % 97) / 97 * 1e6) / 1e6);
  }
  return vector;
}

/** Handles one embeddings request (float or base64 float32 little-endian, as OpenAI sends). */
export async function handleOpenAIEmbeddings(
  exchange: MockExchange,
  behaviour: MockBehaviour,
  model: string,
  flavour: OpenAIWireFlavour,
): Promise<void> {
  if (handleTransportBehaviour(behaviour, exchange)) return;
  if (behaviour.kind === 'error') return sendOpenAIError(exchange, behaviour, flavour);
  if (behaviour.kind === 'error-mid-stream') {
    return sendOpenAIError(exchange, { kind: 'error', status: behaviour.status ?? 500, message: behaviour.message, type: behaviour.type }, flavour);
  }
  const body = (exchange.body ?? {}) as Record<string, unknown>;
  const inputs = Array.isArray(body.input) ? body.input.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))) : [String(body.input ?? '')];
  const dimensions = typeof body.dimensions === 'number' ? body.dimensions : 8;
  const base64 = body.encoding_format === 'base64';
  const promptTokens =
    behaviour.kind === 'text' && behaviour.usage?.input !== undefined
      ? behaviour.usage.input
      : inputs.reduce((sum, input) => sum + Math.max(1, Math.ceil(input.length / 4)), 0);
  const response = {
    object: 'list',
    data: inputs.map((input, index) => {
      const vector = embeddingVector(input, dimensions);
      return {
        object: 'embedding',
        index,
        embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector,
      };
    }),
    model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
  if (behaviour.kind === 'reset-mid-stream') return resetMidBody(exchange, response);
  if (!(await exchange.server.wait(behaviour.kind === 'text' ? behaviour.delayMs : 0))) return;
  sendJson(exchange.response, 200, response, flavour.headers());
}

/** `GET /models` body. */
export function openAIModelList(ids: string[]): unknown {
  return { object: 'list', data: ids.map((id) => openAIModel(id)) };
}

export function openAIModel(id: string): unknown {
  return { id, object: 'model', created: CREATED, owned_by: 'system' };
}
