import type { MockBehaviour, MockProvider } from './mock-provider.js';
import { handleTransportBehaviour, resetMidBody, resolveUsage, runStream, sendJson, startMockServer, textChunksOf } from './mock-server.js';
import type { MockExchange, StreamPlan } from './mock-server.js';
import { embeddingVector } from './openai-wire.js';

/** Models the mock lists on `GET /api/tags` (any model name is accepted). */
export const OLLAMA_MOCK_MODELS = ['llama3.2:latest', 'nomic-embed-text:latest'];

/** The version `GET /api/version` reports. */
export const OLLAMA_MOCK_VERSION = '0.33.0';

const CREATED_AT = '2026-01-01T00:00:00.000000000Z';

/**
 * A fake Ollama server (native API): `POST /api/chat` (NDJSON stream by default, JSON with `stream:false`),
 * `POST /api/embed`, `POST /api/pull` (NDJSON progress, see {@link handlePull}), `GET /api/tags` (which
 * then lists the pulled models too), `GET /api/version`. No auth. Errors are `{"error":"…"}`; an in-stream
 * error is a final `{"error":"…"}` NDJSON line. Usage and timings appear only on the `done:true` line.
 * baseUrl = `http://127.0.0.1:PORT` (the `host`).
 */
export async function startOllamaMock(): Promise<MockProvider> {
  const pulled: string[] = [];
  const handle = async (exchange: MockExchange): Promise<void> => {
    const path = exchange.url.pathname;
    const body = (exchange.body ?? {}) as Record<string, unknown>;
    const fail = (status: number, message: string, headers: Record<string, string> = {}): void =>
      sendJson(exchange.response, status, { error: message }, headers);

    if (exchange.method === 'POST' && (path === '/api/chat' || path === '/api/embed')) {
      if (typeof body.model !== 'string' || body.model === '') return fail(400, 'model is required');
      if (path === '/api/embed' && body.input === undefined) return fail(400, 'input is required');
      const behaviour = exchange.server.nextBehaviour();
      if (handleTransportBehaviour(behaviour, exchange)) return;
      if (behaviour.kind === 'error') {
        if (behaviour.body !== undefined) return sendJson(exchange.response, behaviour.status, behaviour.body, behaviour.headers);
        return fail(behaviour.status, behaviour.message ?? defaultMessage(behaviour.status, body.model), behaviour.headers);
      }
      if (path === '/api/embed') return handleEmbed(exchange, behaviour, body.model, fail);
      if (!Array.isArray(body.messages)) return fail(400, 'messages is required');
      return handleChat(exchange, behaviour, body.model, fail);
    }
    if (exchange.method === 'POST' && path === '/api/pull') {
      // The spec names `model`; the server still reads the older `name` (the ollama JS client sends that).
      const model = [body.model, body.name].find((value): value is string => typeof value === 'string' && value !== '');
      if (model === undefined) return fail(400, 'model is required');
      const behaviour = exchange.server.nextBehaviour();
      if (handleTransportBehaviour(behaviour, exchange)) return;
      if (behaviour.kind === 'error') return fail(behaviour.status, behaviour.message ?? 'pull model manifest: file does not exist');
      return handlePull(exchange, behaviour, model, () => void (pulled.includes(model) || pulled.push(model)));
    }
    if (exchange.method === 'GET' && path === '/api/tags') {
      return sendJson(exchange.response, 200, {
        models: [...OLLAMA_MOCK_MODELS, ...pulled.filter((name) => !OLLAMA_MOCK_MODELS.includes(name))].map((name, index) => ({
          name,
          model: name,
          modified_at: '2026-01-01T00:00:00.000000000Z',
          size: 2_019_393_189 + index,
          digest: `a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b7${index}`,
          details: { parent_model: '', format: 'gguf', family: 'llama', families: ['llama'], parameter_size: '3.2B', quantization_level: 'Q4_K_M' },
        })),
      });
    }
    if (exchange.method === 'GET' && path === '/api/version') return sendJson(exchange.response, 200, { version: OLLAMA_MOCK_VERSION });
    if (exchange.method === 'GET' && path === '/') {
      exchange.response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      return void exchange.response.end('Ollama is running');
    }
    return fail(404, '404 page not found');
  };

  const { server: _server, ...provider } = await startMockServer('ollama', handle, (origin) => origin);
  return provider;
}

function defaultMessage(status: number, model: unknown): string {
  if (status === 404) return `model "${String(model)}" not found, try pulling it first`;
  if (status === 429) return 'too many requests';
  if (status >= 500) return 'an error was encountered while running the model';
  return 'bad request';
}

type Fail = (status: number, message: string) => void;

/** The layers the mock "downloads" for any model: the weights, then the small params blob. */
const PULL_LAYERS = [
  { digest: 'sha256:6a0746a1ec1aef3e7ec53868f220ff6e389f6f8ef87a01d77c96807de94ca2aa', total: 4_661_211_808 },
  { digest: 'sha256:4fa551d4f938f68b8c1e6afa9d28befb70e3f33f75d0753248d530364aeea40f', total: 12_403 },
];

/**
 * `POST /api/pull`, as Ollama answers it: NDJSON `StatusEvent` lines (`status`, and while a layer downloads
 * `digest`, `total`, `completed` in bytes) — `pulling manifest`, `pulling <digest prefix>` four times per
 * layer with `completed` growing to `total`, `verifying sha256 digest`, `writing manifest`, `success`. With
 * `stream:false` the single answer is `{"status":"success"}`. `error-mid-stream` sends `afterChunks`
 * progress lines, then `{"error": message}` with status 200 (how Ollama reports e.g. an unknown model).
 * A `text` behaviour's `chunkDelayMs` spaces the progress lines. A pull that reaches `success` adds the
 * model to `/api/tags`.
 */
async function handlePull(exchange: MockExchange, behaviour: MockBehaviour, model: string, onSuccess: () => void): Promise<void> {
  const body = (exchange.body ?? {}) as Record<string, unknown>;
  if (body.stream === false) {
    if (behaviour.kind === 'error-mid-stream') return sendJson(exchange.response, behaviour.status ?? 500, { error: behaviour.message ?? 'pull model manifest: file does not exist' });
    if (!(await exchange.server.wait(behaviour.kind === 'text' ? behaviour.delayMs : 0))) return;
    onSuccess();
    return sendJson(exchange.response, 200, { status: 'success' });
  }
  const line = (value: unknown): string => `${JSON.stringify(value)}\n`;
  const chunks: string[] = [];
  for (const layer of PULL_LAYERS) {
    const status = `pulling ${layer.digest.slice('sha256:'.length, 'sha256:'.length + 12)}`;
    for (const share of [0, 1, 2, 4]) chunks.push(line({ status, digest: layer.digest, total: layer.total, completed: Math.floor((layer.total * share) / 4) }));
  }
  const plan: StreamPlan = {
    head: [line({ status: 'pulling manifest' })],
    chunks,
    tail: [line({ status: 'verifying sha256 digest' }), line({ status: 'writing manifest' }), line({ status: 'success' })],
  };
  const errorFrame = behaviour.kind === 'error-mid-stream' ? line({ error: behaviour.message ?? `pull model manifest: file does not exist (${model})` }) : undefined;
  await runStream(exchange, behaviour, plan, { contentType: 'application/x-ndjson', errorFrame });
  if (behaviour.kind !== 'error-mid-stream' && behaviour.kind !== 'reset-mid-stream') onSuccess();
}

async function handleChat(exchange: MockExchange, behaviour: MockBehaviour, model: string, fail: Fail): Promise<void> {
  const body = (exchange.body ?? {}) as Record<string, unknown>;
  const textChunks = textChunksOf(behaviour, 'ollama');
  const toolCalls =
    behaviour.kind === 'tool-calls'
      ? behaviour.calls.map((call, index) => ({ ...(call.id ? { id: call.id } : {}), function: { index, name: call.name, arguments: call.arguments } }))
      : [];
  const usage = resolveUsage(behaviour, body, textChunks.length + toolCalls.length);
  const omitUsage = behaviour.kind === 'text' && behaviour.omitUsage === true;
  const final = (content: string, calls: unknown[]): Record<string, unknown> => ({
    model,
    created_at: CREATED_AT,
    message: { role: 'assistant', content, ...(calls.length > 0 ? { tool_calls: calls } : {}) },
    done: true,
    done_reason: 'stop',
    total_duration: 120_000_000,
    load_duration: 10_000_000,
    ...(omitUsage
      ? {}
      : {
          prompt_eval_count: usage.input + usage.cacheRead + usage.cacheWrite,
          prompt_eval_duration: 20_000_000,
          eval_count: usage.output + usage.reasoning,
          eval_duration: 90_000_000,
        }),
  });

  if (body.stream === false) {
    if (behaviour.kind === 'error-mid-stream') return fail(behaviour.status ?? 500, behaviour.message ?? 'an error was encountered while running the model');
    const whole = final(textChunks.join(''), toolCalls);
    if (behaviour.kind === 'reset-mid-stream') return resetMidBody(exchange, whole);
    if (!(await exchange.server.wait(behaviour.kind === 'text' ? behaviour.delayMs : 0))) return;
    return sendJson(exchange.response, 200, whole);
  }

  const line = (value: unknown): string => `${JSON.stringify(value)}\n`;
  const plan: StreamPlan = {
    head: [],
    chunks: textChunks.map((content) => line({ model, created_at: CREATED_AT, message: { role: 'assistant', content }, done: false })),
    tail: [],
  };
  // Tool calls arrive whole in one message line, not as deltas.
  if (toolCalls.length > 0) {
    plan.chunks.push(line({ model, created_at: CREATED_AT, message: { role: 'assistant', content: '', tool_calls: toolCalls }, done: false }));
  }
  plan.tail.push(line(final('', [])));
  const errorFrame =
    behaviour.kind === 'error-mid-stream' ? line({ error: behaviour.message ?? 'an error was encountered while running the model' }) : undefined;
  await runStream(exchange, behaviour, plan, { contentType: 'application/x-ndjson', errorFrame });
}

async function handleEmbed(exchange: MockExchange, behaviour: MockBehaviour, model: string, fail: Fail): Promise<void> {
  if (behaviour.kind === 'error-mid-stream') return fail(behaviour.status ?? 500, behaviour.message ?? 'an error was encountered while running the model');
  const body = (exchange.body ?? {}) as Record<string, unknown>;
  const inputs = Array.isArray(body.input) ? body.input.map(String) : [String(body.input)];
  const dimensions = typeof body.dimensions === 'number' ? body.dimensions : 8;
  const promptTokens =
    behaviour.kind === 'text' && behaviour.usage?.input !== undefined
      ? behaviour.usage.input
      : inputs.reduce((sum, input) => sum + Math.max(1, Math.ceil(input.length / 4)), 0);
  const result = {
    model,
    embeddings: inputs.map((input) => embeddingVector(input, dimensions)),
    total_duration: 14_000_000,
    load_duration: 1_000_000,
    prompt_eval_count: promptTokens,
  };
  if (behaviour.kind === 'reset-mid-stream') return resetMidBody(exchange, result);
  if (!(await exchange.server.wait(behaviour.kind === 'text' ? behaviour.delayMs : 0))) return;
  sendJson(exchange.response, 200, result);
}
