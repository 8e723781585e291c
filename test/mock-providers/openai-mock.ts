import type { MockProvider } from './mock-provider.js';
import { headerValue, sendJson, startMockServer } from './mock-server.js';
import type { MockExchange } from './mock-server.js';
import {
  handleOpenAIChat,
  handleOpenAIEmbeddings,
  openAIErrorBody,
  openAIModel,
  openAIModelList,
} from './openai-wire.js';
import type { OpenAIWireFlavour } from './openai-wire.js';

/** Model ids the mock lists on `GET /v1/models` (any model id is accepted for chat and embeddings). */
export const OPENAI_MOCK_MODELS = ['gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small'];

/**
 * A fake OpenAI API: `POST /v1/chat/completions` (JSON, or SSE with `stream_options.include_usage`),
 * `POST /v1/embeddings` (float and base64), `GET /v1/models[/{id}]`. Requires `Authorization: Bearer …`.
 * Every response carries `x-request-id` and the rate-limit headers. baseUrl = `http://127.0.0.1:PORT/v1`.
 */
export async function startOpenAIMock(): Promise<MockProvider> {
  let requestCounter = 0;
  const flavour: OpenAIWireFlavour = {
    headers: () => {
      requestCounter += 1;
      return {
        'x-request-id': `req_mock${requestCounter.toString().padStart(6, '0')}`,
        'openai-processing-ms': '5',
        'x-ratelimit-limit-requests': '10000',
        'x-ratelimit-limit-tokens': '10000000',
        'x-ratelimit-remaining-requests': '9999',
        'x-ratelimit-remaining-tokens': '9999000',
        'x-ratelimit-reset-requests': '6ms',
        'x-ratelimit-reset-tokens': '0s',
      };
    },
  };

  const handle = async (exchange: MockExchange): Promise<void> => {
    const path = exchange.url.pathname;
    const fail = (status: number, message: string, code: string | null = null): void => {
      const body = openAIErrorBody(status, message);
      body.error.code = code;
      sendJson(exchange.response, status, body, flavour.headers());
    };
    const authorization = headerValue(exchange, 'authorization');
    if (!authorization || !/^Bearer \S+/.test(authorization)) {
      return fail(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth.");
    }
    const body = (exchange.body ?? {}) as Record<string, unknown>;
    if (exchange.method === 'POST' && path === '/v1/chat/completions') {
      if (typeof body.model !== 'string') return fail(400, 'you must provide a model parameter');
      if (!Array.isArray(body.messages)) return fail(400, "Missing required parameter: 'messages'.", 'missing_required_parameter');
      return handleOpenAIChat(exchange, exchange.server.nextBehaviour(), body.model, flavour);
    }
    if (exchange.method === 'POST' && path === '/v1/embeddings') {
      if (typeof body.model !== 'string') return fail(400, 'you must provide a model parameter');
      if (body.input === undefined) return fail(400, "Missing required parameter: 'input'.", 'missing_required_parameter');
      return handleOpenAIEmbeddings(exchange, exchange.server.nextBehaviour(), body.model, flavour);
    }
    if (exchange.method === 'GET' && path === '/v1/models') {
      return sendJson(exchange.response, 200, openAIModelList(OPENAI_MOCK_MODELS), flavour.headers());
    }
    const modelMatch = /^\/v1\/models\/(.+)$/.exec(path);
    if (exchange.method === 'GET' && modelMatch) {
      const id = decodeURIComponent(modelMatch[1]);
      if (!OPENAI_MOCK_MODELS.includes(id)) return fail(404, `The model '${id}' does not exist`, 'model_not_found');
      return sendJson(exchange.response, 200, openAIModel(id), flavour.headers());
    }
    return fail(404, `Invalid URL (${exchange.method} ${path})`);
  };

  const { server: _server, ...provider } = await startMockServer('openai', handle, (origin) => `${origin}/v1`);
  return provider;
}
