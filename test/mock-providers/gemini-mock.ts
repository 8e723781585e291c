import type { MockBehaviour, MockProvider, MockUsage } from './mock-provider.js';
import {
  handleTransportBehaviour,
  headerValue,
  promptCharacters,
  resetMidBody,
  resolveUsage,
  runStream,
  sendJson,
  startMockServer,
  textChunksOf,
} from './mock-server.js';
import type { MockExchange, StreamPlan } from './mock-server.js';
import { embeddingVector } from './openai-wire.js';

/** Model ids the mock lists on `GET /{ver}/models` (any model id is accepted). */
export const GEMINI_MOCK_MODELS = ['gemini-2.5-flash', 'gemini-2.5-pro', 'gemini-embedding-001'];

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/**
 * A google.rpc.Status error body. A 429 carries QuotaFailure and RetryInfo details; its `retryDelay` is
 * `retryAfterSeconds` (default 1) as a duration string ("1s"), since Gemini puts the wait in the body.
 */
export function geminiErrorBody(status: number, message?: string, statusName?: string, retryAfterSeconds = 1): unknown {
  const details: unknown[] = [];
  if (status === 429) {
    details.push(
      {
        '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
        violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_requests', quotaId: 'GenerateRequestsPerMinutePerProjectPerModel' }],
      },
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfterSeconds}s` },
    );
  }
  return {
    error: {
      code: status,
      message: message ?? (status === 429 ? 'Resource has been exhausted (e.g. check quota).' : 'Request failed.'),
      status: statusName ?? STATUS_NAMES[status] ?? (status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION'),
      ...(details.length > 0 ? { details } : {}),
    },
  };
}

function usageMetadata(usage: MockUsage, share: number): Record<string, unknown> {
  const prompt = usage.input + usage.cacheRead + usage.cacheWrite;
  const candidates = Math.round(usage.output * share);
  const thoughts = Math.round(usage.reasoning * share);
  return {
    promptTokenCount: prompt,
    candidatesTokenCount: candidates,
    totalTokenCount: prompt + candidates + thoughts,
    ...(usage.cacheRead > 0 ? { cachedContentTokenCount: usage.cacheRead } : {}),
    ...(thoughts > 0 ? { thoughtsTokenCount: thoughts } : {}),
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: prompt }],
  };
}

/**
 * A fake Gemini Developer API (both `/v1` and `/v1beta`): `models/{m}:generateContent`,
 * `:streamGenerateContent` (`?alt=sse` → SSE with `\r\n\r\n` separators and cumulative usageMetadata on every
 * chunk; without it one streamed JSON array), `:embedContent`, `:batchEmbedContents`, `:countTokens`,
 * `GET /{ver}/models[/{m}]`. Requires `x-goog-api-key` (or `?key=`). Honours `generationConfig.candidateCount`.
 * baseUrl = `http://127.0.0.1:PORT`.
 */
export async function startGeminiMock(): Promise<MockProvider> {
  const handle = async (exchange: MockExchange): Promise<void> => {
    const path = exchange.url.pathname;
    const fail = (status: number, message?: string, statusName?: string, headers: Record<string, string> = {}): void => {
      const retryAfter = Number(headers['retry-after'] ?? 1);
      sendJson(exchange.response, status, geminiErrorBody(status, message, statusName, Number.isFinite(retryAfter) ? retryAfter : 1), headers);
    };
    if (!headerValue(exchange, 'x-goog-api-key') && !exchange.url.searchParams.get('key')) {
      return fail(403, "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.");
    }
    const body = (exchange.body ?? {}) as Record<string, unknown>;
    const actionMatch = /^\/(v1|v1beta)\/models\/([^:/]+):([A-Za-z]+)$/.exec(path);
    if (exchange.method === 'POST' && actionMatch) {
      const model = decodeURIComponent(actionMatch[2]);
      const action = actionMatch[3];
      if (action === 'countTokens') {
        const source = (body.generateContentRequest as Record<string, unknown> | undefined) ?? body;
        return sendJson(exchange.response, 200, { totalTokens: Math.max(1, Math.ceil(promptCharacters(source) / 4)) });
      }
      if (action !== 'generateContent' && action !== 'streamGenerateContent' && action !== 'embedContent' && action !== 'batchEmbedContents') {
        return fail(404, `Method ${action} not found`, 'NOT_FOUND');
      }
      if ((action === 'generateContent' || action === 'streamGenerateContent') && !Array.isArray(body.contents)) {
        return fail(400, '* GenerateContentRequest.contents: contents is not specified');
      }
      const behaviour = exchange.server.nextBehaviour();
      if (handleTransportBehaviour(behaviour, exchange)) return;
      if (behaviour.kind === 'error') {
        if (behaviour.body !== undefined) return sendJson(exchange.response, behaviour.status, behaviour.body, behaviour.headers);
        return fail(behaviour.status, behaviour.message, behaviour.type, behaviour.headers);
      }
      if (action === 'embedContent' || action === 'batchEmbedContents') return handleEmbed(exchange, behaviour, action, fail);
      return handleGenerate(exchange, behaviour, model, action === 'streamGenerateContent', fail);
    }
    const listMatch = /^\/(v1|v1beta)\/models$/.exec(path);
    if (exchange.method === 'GET' && listMatch) {
      return sendJson(exchange.response, 200, { models: GEMINI_MOCK_MODELS.map(modelInfo) });
    }
    const modelMatch = /^\/(v1|v1beta)\/models\/([^:/]+)$/.exec(path);
    if (exchange.method === 'GET' && modelMatch) {
      const id = decodeURIComponent(modelMatch[2]);
      if (!GEMINI_MOCK_MODELS.includes(id)) return fail(404, `models/${id} is not found for API version ${modelMatch[1]}`);
      return sendJson(exchange.response, 200, modelInfo(id));
    }
    return fail(404, `The requested URL ${path} was not found on this server.`);
  };

  const { server: _server, ...provider } = await startMockServer('gemini', handle, (origin) => origin);
  return provider;
}

function modelInfo(id: string): Record<string, unknown> {
  const embedding = id.includes('embedding');
  return {
    name: `models/${id}`,
    baseModelId: id,
    version: '001',
    displayName: id,
    inputTokenLimit: embedding ? 2048 : 1_048_576,
    outputTokenLimit: embedding ? 1 : 65_536,
    supportedGenerationMethods: embedding ? ['embedContent', 'countTextTokens'] : ['generateContent', 'countTokens'],
  };
}

type Fail = (status: number, message?: string, statusName?: string) => void;

async function handleGenerate(exchange: MockExchange, behaviour: MockBehaviour, model: string, stream: boolean, fail: Fail): Promise<void> {
  const body = (exchange.body ?? {}) as Record<string, unknown>;
  const generationConfig = (body.generationConfig ?? {}) as Record<string, unknown>;
  const candidateCount = typeof generationConfig.candidateCount === 'number' && generationConfig.candidateCount > 1 ? Math.floor(generationConfig.candidateCount) : 1;
  const textChunks = textChunksOf(behaviour, 'gemini');
  const callParts =
    behaviour.kind === 'tool-calls'
      ? behaviour.calls.map((call) => ({ functionCall: { ...(call.id ? { id: call.id } : {}), name: call.name, args: call.arguments } }))
      : [];
  const usage = resolveUsage(behaviour, body, textChunks.length + callParts.length);
  const omitUsage = behaviour.kind === 'text' && behaviour.omitUsage === true;
  const responseId = `mock${exchange.server.nextId()}`;
  const response = (parts: unknown[], final: boolean, share: number): Record<string, unknown> => ({
    candidates: Array.from({ length: candidateCount }, (_, index) => ({
      content: { parts, role: 'model' },
      ...(final ? { finishReason: 'STOP' } : {}),
      index,
    })),
    ...(omitUsage ? {} : { usageMetadata: usageMetadata(usage, share) }),
    modelVersion: model,
    responseId,
  });

  if (!stream) {
    if (behaviour.kind === 'error-mid-stream') return fail(behaviour.status ?? 503, behaviour.message, behaviour.type);
    const parts: unknown[] = textChunks.length > 0 ? [{ text: textChunks.join('') }] : [];
    const whole = response([...parts, ...callParts], true, 1);
    if (behaviour.kind === 'reset-mid-stream') return resetMidBody(exchange, whole);
    if (!(await exchange.server.wait(behaviour.kind === 'text' ? behaviour.delayMs : 0))) return;
    return sendJson(exchange.response, 200, whole);
  }

  // One chunk per text piece, then (for tool calls) every functionCall whole in one chunk; the last chunk
  // carries finishReason. usageMetadata grows with the chunks and is complete on the last one.
  const pieces: unknown[][] = textChunks.map((text) => [{ text }]);
  if (callParts.length > 0) pieces.push(callParts);
  if (pieces.length === 0) pieces.push([{ text: '' }]);
  const responses = pieces.map((parts, index) => response(parts, index === pieces.length - 1, (index + 1) / pieces.length));
  const sse = exchange.url.searchParams.get('alt') === 'sse';
  const plan: StreamPlan = sse
    ? { head: [], chunks: responses.map((item) => `data: ${JSON.stringify(item)}\r\n\r\n`), tail: [] }
    : { head: ['['], chunks: responses.map((item, index) => `${index > 0 ? ',\r\n' : ''}${JSON.stringify(item)}`), tail: [']'] };
  const errorBody =
    behaviour.kind === 'error-mid-stream' ? geminiErrorBody(behaviour.status ?? 503, behaviour.message ?? 'The model is overloaded. Please try again later.', behaviour.type) : undefined;
  const errorFrame = errorBody === undefined ? undefined : sse ? `data: ${JSON.stringify(errorBody)}\r\n\r\n` : `,\r\n${JSON.stringify(errorBody)}]`;
  await runStream(exchange, behaviour, plan, { contentType: sse ? 'text/event-stream' : 'application/json; charset=UTF-8', errorFrame });
}

async function handleEmbed(exchange: MockExchange, behaviour: MockBehaviour, action: string, fail: Fail): Promise<void> {
  if (behaviour.kind === 'error-mid-stream') return fail(behaviour.status ?? 503, behaviour.message, behaviour.type);
  const body = (exchange.body ?? {}) as Record<string, unknown>;
  const textOf = (request: Record<string, unknown>): string =>
    (((request.content as Record<string, unknown> | undefined)?.parts ?? []) as Array<{ text?: string }>).map((part) => part.text ?? '').join('');
  const dimensionsOf = (request: Record<string, unknown>): number => (typeof request.outputDimensionality === 'number' ? request.outputDimensionality : 8);
  const result =
    action === 'embedContent'
      ? { embedding: { values: embeddingVector(textOf(body), dimensionsOf(body)) } }
      : {
          embeddings: ((body.requests ?? []) as Array<Record<string, unknown>>).map((request) => ({
            values: embeddingVector(textOf(request), dimensionsOf(request)),
          })),
        };
  if (behaviour.kind === 'reset-mid-stream') return resetMidBody(exchange, result);
  if (!(await exchange.server.wait(behaviour.kind === 'text' ? behaviour.delayMs : 0))) return;
  sendJson(exchange.response, 200, result);
}
