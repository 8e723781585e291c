import {
  GatewayError,
  providerSpecVersion,
  type AssistantPart,
  type CallOptions,
  type ChatRequest,
  type ChatResult,
  type ChatStream,
  type EmbedRequest,
  type EmbedResult,
  type ModelCapabilities,
  type ModelInfo,
  type ProviderAdapter,
  type UpstreamResponse,
} from '../../spec/index.js';
import { parseJsonObject } from '../../kit/json-body.js';
import type { z } from 'zod';
import { buildOllamaChatBody, mergeProviderOptions, ollamaProviderOptionsKey } from './ollama-chat-body.js';
import { guessOllamaCapabilities } from './ollama-capabilities.js';
import { ollamaStatusError } from './ollama-error.js';
import { readOllamaPullProgress } from './ollama-pull.js';
import type { ModelPullProgress } from '../provider-definition.js';
import { normaliseOllamaHost } from './ollama-host.js';
import { createOllamaChatStream, createdSeconds, toolCallArguments, toolCallId } from './ollama-stream.js';
import { mapOllamaFinishReason } from './map-ollama-finish-reason.js';
import { convertOllamaUsage } from './ollama-usage.js';
import type { OllamaSettings } from './ollama-settings.js';
import { ollamaChatChunkSchema, ollamaEmbedResponseSchema, ollamaErrorMessage, ollamaTagsResponseSchema } from './ollama-wire.js';

/**
 * The adapter for Ollama's native API: `/api/chat` (NDJSON streams), `/api/embed` and `/api/tags`.
 */
export class OllamaAdapter implements ProviderAdapter {
  readonly specVersion = providerSpecVersion;
  readonly kind = 'ollama';
  private readonly baseUrl: string;

  constructor(
    readonly name: string,
    private readonly settings: OllamaSettings,
  ) {
    this.baseUrl = normaliseOllamaHost(settings.host);
  }

  capabilities(model: string): ModelCapabilities {
    return guessOllamaCapabilities(model);
  }

  async doChat(request: ChatRequest, call: CallOptions): Promise<ChatResult> {
    const { body, warnings } = buildOllamaChatBody(request, false, { keepAlive: this.settings.keepAlive });
    const answer = await this.postJson('/api/chat', body, call, ollamaChatChunkSchema);
    const message = answer.message ?? {};
    const content: AssistantPart[] = [];
    if (message.thinking) content.push({ type: 'reasoning', text: message.thinking });
    const toolCalls = message.tool_calls ?? [];
    if (message.content || toolCalls.length === 0) content.push({ type: 'text', text: message.content ?? '' });
    toolCalls.forEach((toolCall, position) => {
      content.push({ type: 'tool-call', id: toolCallId(toolCall, position), name: toolCall.function.name, arguments: toolCallArguments(toolCall) });
    });
    return {
      model: answer.model,
      created: createdSeconds(answer.created_at),
      choices: [{ index: 0, content, finishReason: mapOllamaFinishReason(answer.done_reason, toolCalls.length > 0) }],
      usage: convertOllamaUsage(answer),
      warnings,
    };
  }

  async doChatStream(request: ChatRequest, call: CallOptions): Promise<ChatStream> {
    const { body, warnings } = buildOllamaChatBody(request, true, { keepAlive: this.settings.keepAlive });
    const response = await this.send('POST', '/api/chat', body, call, 'application/x-ndjson');
    if (response.status !== 200) throw await ollamaStatusError(this.name, response);
    return createOllamaChatStream(response.body, { providerName: this.name, signal: call.signal, warnings });
  }

  async doEmbed(request: EmbedRequest, call: CallOptions): Promise<EmbedResult> {
    const warnings: EmbedResult['warnings'] = [];
    const body: Record<string, unknown> = { model: request.model, input: request.input };
    if (request.dimensions !== undefined) body.dimensions = request.dimensions;
    if (this.settings.keepAlive !== undefined) body.keep_alive = this.settings.keepAlive;
    if (request.user !== undefined) warnings.push({ type: 'unsupported-setting', setting: 'user', message: 'Ollama has no end-user field; user was not sent' });
    const options: Record<string, unknown> = {};
    mergeProviderOptions(body, options, request.providerOptions?.[ollamaProviderOptionsKey]);
    if (Object.keys(options).length > 0) body.options = options;
    const answer = await this.postJson('/api/embed', body, call, ollamaEmbedResponseSchema);
    if (answer.embeddings.length !== request.input.length) {
      throw new GatewayError('upstream_bad_response', `${this.name} returned ${answer.embeddings.length} embeddings for ${request.input.length} inputs`);
    }
    return {
      model: answer.model,
      embeddings: answer.embeddings,
      usage: { inputTokens: answer.prompt_eval_count, raw: pickNumbers(answer, ['prompt_eval_count', 'total_duration', 'load_duration']) },
      warnings,
    };
  }

  async listModels(call: CallOptions): Promise<ModelInfo[]> {
    const response = await this.send('GET', '/api/tags', undefined, call);
    const answer = await this.readAnswer(response, ollamaTagsResponseSchema);
    return answer.models.map((model) => ({
      id: model.name,
      // As Ollama's own /v1/models does: the namespace before the slash, `library` for official models.
      ownedBy: model.name.includes('/') ? model.name.slice(0, model.name.lastIndexOf('/')) : 'library',
      createdAt: createdSeconds(model.modified_at),
    }));
  }

  /** Downloads `model` onto this server (`POST /api/pull`, streamed), yielding its progress lines up to `success`. */
  async *pullModel(model: string, call: CallOptions): AsyncGenerator<ModelPullProgress> {
    const response = await this.send('POST', '/api/pull', { model, stream: true }, call, 'application/x-ndjson');
    if (response.status !== 200) throw await ollamaStatusError(this.name, response);
    yield* readOllamaPullProgress(response.body, this.name, call.signal);
  }

  private async postJson<Schema extends z.ZodType<Record<string, unknown>>>(
    path: string,
    body: Record<string, unknown>,
    call: CallOptions,
    schema: Schema,
  ): Promise<z.infer<Schema>> {
    const response = await this.send('POST', path, body, call);
    return this.readAnswer(response, schema);
  }

  private async readAnswer<Schema extends z.ZodType<Record<string, unknown>>>(response: UpstreamResponse, schema: Schema): Promise<z.infer<Schema>> {
    if (response.status !== 200) throw await ollamaStatusError(this.name, response);
    const json = parseJsonObject(this.name, await response.body.text());
    const errorMessage = ollamaErrorMessage(json);
    if (errorMessage !== undefined) throw new GatewayError('upstream_error', `${this.name}: ${errorMessage}`);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new GatewayError('upstream_bad_response', `${this.name} returned a body that does not match its API`);
    return parsed.data;
  }

  private send(method: 'GET' | 'POST', path: string, body: Record<string, unknown> | undefined, call: CallOptions, accept = 'application/json'): Promise<UpstreamResponse> {
    const headers: Record<string, string> = { accept };
    if (body !== undefined) headers['content-type'] = 'application/json';
    for (const [key, value] of Object.entries(this.settings.headers ?? {})) headers[key.toLowerCase()] = value;
    if (this.settings.apiKey !== undefined) headers.authorization = `Bearer ${this.settings.apiKey}`;
    return call.http.request({
      url: `${this.baseUrl}${path}`,
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: call.signal,
    });
  }
}

/** Builds an Ollama adapter named `name`. */
export function createOllamaAdapter(name: string, settings: OllamaSettings): OllamaAdapter {
  return new OllamaAdapter(name, settings);
}

function pickNumbers(source: Record<string, unknown>, keys: string[]): Record<string, number> | undefined {
  const picked: Record<string, number> = {};
  for (const key of keys) if (typeof source[key] === 'number') picked[key] = source[key] as number;
  return Object.keys(picked).length > 0 ? picked : undefined;
}
