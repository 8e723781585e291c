import type { MockBehaviour, MockProvider, MockUsage } from './mock-provider.js';
import {
  fragment,
  handleTransportBehaviour,
  headerValue,
  promptCharacters,
  resetMidBody,
  resolveUsage,
  runStream,
  sendJson,
  sseFrame,
  startMockServer,
  textChunksOf,
} from './mock-server.js';
import type { MockExchange, StreamPlan } from './mock-server.js';

/** Model ids the mock lists on `GET /v1/models` (any model id is accepted for messages). */
export const ANTHROPIC_MOCK_MODELS = ['claude-sonnet-4-5', 'claude-haiku-4-5'];

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

const DEFAULT_MESSAGES: Record<string, string> = {
  overloaded_error: 'Overloaded',
  rate_limit_error: 'Number of request tokens has exceeded your per-minute rate limit',
  api_error: 'Internal server error',
  authentication_error: 'invalid x-api-key',
};

function errorType(status: number): string {
  return ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

function anthropicUsage(usage: MockUsage): Record<string, unknown> {
  return {
    input_tokens: usage.input,
    cache_creation_input_tokens: usage.cacheWrite,
    cache_read_input_tokens: usage.cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: usage.cacheWrite, ephemeral_1h_input_tokens: 0 },
    output_tokens: usage.output + usage.reasoning,
    ...(usage.reasoning > 0 ? { output_tokens_details: { thinking_tokens: usage.reasoning } } : {}),
    service_tier: 'standard',
  };
}

/**
 * A fake Anthropic API: `POST /v1/messages` (JSON, or SSE: message_start, ping, content blocks with
 * text_delta / input_json_delta, message_delta with cumulative usage, message_stop),
 * `POST /v1/messages/count_tokens`, `GET /v1/models[/{id}]`. Requires `x-api-key` (or a Bearer token)
 * and `anthropic-version`. Every response carries `request-id`. baseUrl = `http://127.0.0.1:PORT`.
 */
export async function startAnthropicMock(): Promise<MockProvider> {
  const handle = async (exchange: MockExchange): Promise<void> => {
    const requestId = `req_mock${exchange.server.nextId()}`;
    const headers = { 'request-id': requestId };
    const fail = (status: number, message?: string, type?: string, extraHeaders: Record<string, string> = {}): void => {
      const resolvedType = type ?? errorType(status);
      const body = { type: 'error', error: { type: resolvedType, message: message ?? DEFAULT_MESSAGES[resolvedType] ?? 'Request failed' }, request_id: requestId };
      sendJson(exchange.response, status, body, { ...headers, ...extraHeaders });
    };
    const path = exchange.url.pathname;
    if (!headerValue(exchange, 'x-api-key') && !/^Bearer \S+/.test(headerValue(exchange, 'authorization') ?? '')) {
      return fail(401, 'x-api-key header is required', 'authentication_error');
    }
    if (!headerValue(exchange, 'anthropic-version')) return fail(400, 'anthropic-version: header is required', 'invalid_request_error');
    const body = (exchange.body ?? {}) as Record<string, unknown>;

    if (exchange.method === 'POST' && path === '/v1/messages') {
      if (typeof body.model !== 'string') return fail(400, 'model: Field required');
      if (typeof body.max_tokens !== 'number') return fail(400, 'max_tokens: Field required');
      if (!Array.isArray(body.messages)) return fail(400, 'messages: Field required');
      const behaviour = exchange.server.nextBehaviour();
      if (behaviour.kind === 'error') {
        if (behaviour.body !== undefined) return sendJson(exchange.response, behaviour.status, behaviour.body, { ...headers, ...behaviour.headers });
        return fail(behaviour.status, behaviour.message, behaviour.type, behaviour.headers);
      }
      return handleMessages(exchange, behaviour, body, headers, fail);
    }
    if (exchange.method === 'POST' && path === '/v1/messages/count_tokens') {
      if (typeof body.model !== 'string' || !Array.isArray(body.messages)) return fail(400, 'model and messages are required');
      return sendJson(exchange.response, 200, { input_tokens: Math.max(1, Math.ceil(promptCharacters(body) / 4)) }, headers);
    }
    if (exchange.method === 'GET' && path === '/v1/models') {
      const data = ANTHROPIC_MOCK_MODELS.map(modelInfo);
      return sendJson(exchange.response, 200, { data, has_more: false, first_id: data[0].id, last_id: data.at(-1)!.id }, headers);
    }
    const modelMatch = /^\/v1\/models\/(.+)$/.exec(path);
    if (exchange.method === 'GET' && modelMatch) {
      const id = decodeURIComponent(modelMatch[1]);
      if (!ANTHROPIC_MOCK_MODELS.includes(id)) return fail(404, `model: ${id}`, 'not_found_error');
      return sendJson(exchange.response, 200, modelInfo(id), headers);
    }
    return fail(404, 'Not found', 'not_found_error');
  };

  const { server: _server, ...provider } = await startMockServer('anthropic', handle, (origin) => origin);
  return provider;
}

function modelInfo(id: string): { type: 'model'; id: string; display_name: string; created_at: string } {
  return { type: 'model', id, display_name: id, created_at: '2026-01-01T00:00:00Z' };
}

async function handleMessages(
  exchange: MockExchange,
  behaviour: MockBehaviour,
  body: Record<string, unknown>,
  headers: Record<string, string>,
  fail: (status: number, message?: string, type?: string) => void,
): Promise<void> {
  if (handleTransportBehaviour(behaviour, exchange)) return;
  const model = body.model as string;
  const id = `msg_mock${exchange.server.nextId()}`;
  const textChunks = textChunksOf(behaviour, 'anthropic');
  const calls =
    behaviour.kind === 'tool-calls'
      ? behaviour.calls.map((call, index) => ({ id: call.id ?? `toolu_mock${id.slice(-6)}_${index}`, name: call.name, input: call.arguments }))
      : [];
  const argumentFragments = calls.map((call) => fragment(JSON.stringify(call.input), 3));
  const usage = resolveUsage(behaviour, body, textChunks.length + argumentFragments.reduce((sum, parts) => sum + parts.length, 0));
  const omitUsage = behaviour.kind === 'text' && behaviour.omitUsage === true;
  const stopReason = calls.length > 0 ? 'tool_use' : 'end_turn';

  if (body.stream !== true) {
    if (behaviour.kind === 'error-mid-stream') return fail(behaviour.status ?? 529, behaviour.message, behaviour.type);
    const content: unknown[] = [];
    if (textChunks.length > 0) content.push({ type: 'text', text: textChunks.join('') });
    for (const call of calls) content.push({ type: 'tool_use', id: call.id, name: call.name, input: call.input });
    const message = {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content,
      stop_reason: stopReason,
      stop_sequence: null,
      ...(omitUsage ? {} : { usage: anthropicUsage(usage) }),
    };
    if (behaviour.kind === 'reset-mid-stream') return resetMidBody(exchange, message);
    if (!(await exchange.server.wait(behaviour.kind === 'text' ? behaviour.delayMs : 0))) return;
    return sendJson(exchange.response, 200, message, headers);
  }

  const startUsage = { ...anthropicUsage(usage), output_tokens: 1 };
  const plan: StreamPlan = {
    head: [
      sseFrame(
        {
          type: 'message_start',
          message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: startUsage },
        },
        'message_start',
      ),
      sseFrame({ type: 'ping' }, 'ping'),
    ],
    chunks: [],
    tail: [],
  };
  // Block start/stop frames ride along with the first/last delta, so `afterChunks` counts deltas.
  const addBlock = (index: number, contentBlock: unknown, deltas: unknown[]): void => {
    deltas.forEach((delta, position) => {
      let frame = '';
      if (position === 0) frame += sseFrame({ type: 'content_block_start', index, content_block: contentBlock }, 'content_block_start');
      frame += sseFrame({ type: 'content_block_delta', index, delta }, 'content_block_delta');
      if (position === deltas.length - 1) frame += sseFrame({ type: 'content_block_stop', index }, 'content_block_stop');
      plan.chunks.push(frame);
    });
  };
  let blockIndex = 0;
  if (textChunks.length > 0) {
    addBlock(blockIndex++, { type: 'text', text: '' }, textChunks.map((text) => ({ type: 'text_delta', text })));
  }
  calls.forEach((call, index) => {
    addBlock(
      blockIndex++,
      { type: 'tool_use', id: call.id, name: call.name, input: {} },
      argumentFragments[index].map((partial) => ({ type: 'input_json_delta', partial_json: partial })),
    );
  });
  const finalUsage = anthropicUsage(usage);
  plan.tail.push(
    sseFrame(
      {
        type: 'message_delta',
        delta: { stop_reason: stopReason, stop_sequence: null },
        ...(omitUsage
          ? {}
          : {
              usage: {
                input_tokens: finalUsage.input_tokens,
                cache_creation_input_tokens: finalUsage.cache_creation_input_tokens,
                cache_read_input_tokens: finalUsage.cache_read_input_tokens,
                output_tokens: finalUsage.output_tokens,
                ...(finalUsage.output_tokens_details ? { output_tokens_details: finalUsage.output_tokens_details } : {}),
              },
            }),
      },
      'message_delta',
    ),
    sseFrame({ type: 'message_stop' }, 'message_stop'),
  );
  const errorFrame =
    behaviour.kind === 'error-mid-stream'
      ? sseFrame(
          {
            type: 'error',
            error: { type: behaviour.type ?? errorType(behaviour.status ?? 529), message: behaviour.message ?? 'Overloaded' },
            request_id: headers['request-id'],
          },
          'error',
        )
      : undefined;
  await runStream(exchange, behaviour, plan, {
    contentType: 'text/event-stream; charset=utf-8',
    headers,
    errorFrame,
  });
}
