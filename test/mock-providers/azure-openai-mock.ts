import type { MockProvider } from './mock-provider.js';
import { headerValue, sendJson, startMockServer } from './mock-server.js';
import type { MockExchange } from './mock-server.js';
import { handleOpenAIChat, handleOpenAIEmbeddings, openAIErrorBody, openAIModelList } from './openai-wire.js';
import type { OpenAIWireFlavour } from './openai-wire.js';

/** Azure's content-filter verdict for clean text, per category. */
function contentFilterResults(): Record<string, unknown> {
  const clean = { filtered: false, severity: 'safe' };
  return { hate: clean, self_harm: clean, sexual: clean, violence: clean };
}

function promptFilterResults(): unknown[] {
  return [{ prompt_index: 0, content_filter_results: contentFilterResults() }];
}

/**
 * A fake Azure OpenAI resource. Routes:
 * - `POST /openai/deployments/{deployment}/chat/completions?api-version=…` and `…/embeddings?api-version=…`
 *   (requires the `api-key` header and an `api-version` query parameter; the model echoed is the body's
 *   `model`, else the deployment name);
 * - `POST /openai/v1/chat/completions`, `/openai/v1/embeddings`, `GET /openai/v1/models` (the v1 surface:
 *   `api-key` or `Authorization: Bearer`, model = deployment name from the body).
 * Streams start with the `prompt_filter_results` chunk (empty `choices`), and choices carry
 * `content_filter_results`, as Azure sends them. baseUrl = `http://127.0.0.1:PORT` (the resource endpoint).
 */
export async function startAzureOpenAIMock(): Promise<MockProvider> {
  let requestCounter = 0;
  const flavour: OpenAIWireFlavour = {
    headers: () => {
      requestCounter += 1;
      const id = `00000000-0000-4000-8000-${requestCounter.toString().padStart(12, '0')}`;
      return { 'apim-request-id': id, 'x-request-id': id, 'x-ms-region': 'Sweden Central', 'x-ratelimit-remaining-requests': '99', 'x-ratelimit-remaining-tokens': '99000' };
    },
    streamPreamble: () => [{ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: promptFilterResults() }],
    choiceExtras: () => ({ content_filter_results: contentFilterResults() }),
    bodyExtras: () => ({ prompt_filter_results: promptFilterResults() }),
  };

  const handle = async (exchange: MockExchange): Promise<void> => {
    const path = exchange.url.pathname;
    const body = (exchange.body ?? {}) as Record<string, unknown>;
    const fail = (status: number, message: string, code: string | null = null): void => {
      const errorBody = openAIErrorBody(status, message);
      errorBody.error.code = code;
      sendJson(exchange.response, status, errorBody, flavour.headers());
    };
    const apiKey = headerValue(exchange, 'api-key');
    const bearer = /^Bearer \S+/.test(headerValue(exchange, 'authorization') ?? '');

    const deploymentMatch = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/.exec(path);
    if (deploymentMatch && exchange.method === 'POST') {
      if (!apiKey && !bearer) {
        // Azure's real body for a missing key has only code + message.
        return sendJson(exchange.response, 401, { error: { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.' } }, flavour.headers());
      }
      if (!exchange.url.searchParams.get('api-version')) return fail(404, 'Resource not found', '404');
      const deployment = decodeURIComponent(deploymentMatch[1]);
      const model = typeof body.model === 'string' ? body.model : deployment;
      const behaviour = exchange.server.nextBehaviour();
      if (deploymentMatch[2] === 'embeddings') return handleOpenAIEmbeddings(exchange, behaviour, model, flavour);
      return handleOpenAIChat(exchange, behaviour, model, flavour);
    }

    if (path.startsWith('/openai/v1/')) {
      if (!apiKey && !bearer) {
        return sendJson(exchange.response, 401, { error: { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint.' } }, flavour.headers());
      }
      if (exchange.method === 'GET' && path === '/openai/v1/models') {
        return sendJson(exchange.response, 200, openAIModelList(['gpt-4o-mini', 'text-embedding-3-small']), flavour.headers());
      }
      if (exchange.method === 'POST' && (path === '/openai/v1/chat/completions' || path === '/openai/v1/embeddings')) {
        if (typeof body.model !== 'string') return fail(400, 'you must provide a model parameter');
        const behaviour = exchange.server.nextBehaviour();
        if (path.endsWith('/embeddings')) return handleOpenAIEmbeddings(exchange, behaviour, body.model, flavour);
        return handleOpenAIChat(exchange, behaviour, body.model, flavour);
      }
    }
    return fail(404, 'Resource not found', '404');
  };

  const { server: _server, ...provider } = await startMockServer('azure-openai', handle, (origin) => origin);
  return provider;
}
