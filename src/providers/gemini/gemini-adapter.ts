import { readJsonObject } from '../../kit/json-body.js';
import {
  GatewayError,
  providerSpecVersion,
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
import { buildGeminiRequest } from './gemini-request.js';
import { geminiStatusError } from './gemini-error.js';
import { convertGeminiResponse, parseGeminiResponse } from './gemini-response.js';
import type { GeminiSettings } from './gemini-settings.js';
import { readGeminiStream } from './gemini-stream.js';
import {
  geminiBatchEmbedResponseSchema,
  geminiCountTokensResponseSchema,
  geminiEmbedResponseSchema,
  geminiListModelsResponseSchema,
  type GeminiModel,
} from './gemini-wire.js';
import type { z } from 'zod';

// Gemini answers at most 1,000 models a page; a few pages is every model there is.
const modelsPageSize = 1000;
const mostModelPages = 10;
const unsafeModelPattern = /\.\.|[?#&%\s]/;

/**
 * The Gemini Developer API adapter (generativelanguage.googleapis.com). The key travels in the
 * `x-goog-api-key` header, never in the URL, so it cannot leak into access logs.
 */
export class GeminiAdapter implements ProviderAdapter {
  readonly specVersion = providerSpecVersion;
  readonly kind = 'gemini';
  private readonly root: string;

  constructor(
    readonly name: string,
    private readonly settings: GeminiSettings,
  ) {
    this.root = `${settings.baseUrl.replace(/\/+$/, '')}/${settings.apiVersion}`;
  }

  capabilities(model: string): ModelCapabilities {
    const embeddings = /embedding/i.test(model);
    const reasoning = /gemini-(2\.5|[3-9])|thinking/i.test(model);
    return { chat: !embeddings, embeddings, tools: !embeddings, images: !embeddings, jsonSchema: !embeddings, reasoning };
  }

  async doChat(request: ChatRequest, call: CallOptions): Promise<ChatResult> {
    const { body, warnings } = buildGeminiRequest(request);
    const response = await this.post(`${modelPath(request.model)}:generateContent`, body, call);
    const text = await response.body.text();
    return convertGeminiResponse(this.name, parseGeminiResponse(this.name, text), warnings);
  }

  async doChatStream(request: ChatRequest, call: CallOptions): Promise<ChatStream> {
    const { body, warnings } = buildGeminiRequest(request);
    const response = await this.post(`${modelPath(request.model)}:streamGenerateContent?alt=sse`, body, call);
    return readGeminiStream(response.body, { providerName: this.name, signal: call.signal, warnings });
  }

  /** One input uses `:embedContent`; several use `:batchEmbedContents`, one request per input. */
  async doEmbed(request: EmbedRequest, call: CallOptions): Promise<EmbedResult> {
    const path = modelPath(request.model);
    const options = request.providerOptions?.gemini ?? {};
    const embedRequest = (text: string) => ({
      model: path,
      // The same shape @google/genai sends (it wraps every input as a user turn).
      content: { role: 'user', parts: [{ text }] },
      ...(request.dimensions === undefined ? {} : { outputDimensionality: request.dimensions }),
      ...options,
    });
    const warnings = request.user === undefined ? [] : [{ type: 'unsupported-setting' as const, setting: 'user', message: 'Gemini has no end-user field; it was not sent' }];
    let embeddings: number[][];
    if (request.input.length === 1) {
      const response = await this.post(`${path}:embedContent`, embedRequest(request.input[0]), call);
      embeddings = [this.validate(geminiEmbedResponseSchema, await readJsonObject(this.name, response.body)).embedding.values];
    } else {
      const body = { requests: request.input.map(embedRequest) };
      const response = await this.post(`${path}:batchEmbedContents`, body, call);
      const parsed = this.validate(geminiBatchEmbedResponseSchema, await readJsonObject(this.name, response.body));
      embeddings = parsed.embeddings.map((embedding) => embedding.values);
      if (embeddings.length !== request.input.length) {
        throw new GatewayError('upstream_bad_response', `${this.name} returned ${embeddings.length} embeddings for ${request.input.length} inputs`);
      }
    }
    // Gemini reports no token usage for embeddings: unknown, not zero.
    return { model: request.model, embeddings, usage: {}, warnings };
  }

  /** Counts the whole prompt (system instruction and tools included) with Gemini's own tokenizer. */
  async countTokens(request: ChatRequest, call: CallOptions): Promise<number> {
    // Sampling settings do not change the count; without a system instruction or tools the plain
    // `contents` form is what @google/genai sends, otherwise the whole request is needed.
    const { generationConfig: _generationConfig, ...body } = buildGeminiRequest(request).body;
    const path = modelPath(request.model);
    const countBody = Object.keys(body).length === 1 ? body : { generateContentRequest: { model: path, ...body } };
    const response = await this.post(`${path}:countTokens`, countBody, call);
    const parsed = this.validate(geminiCountTokensResponseSchema, await readJsonObject(this.name, response.body));
    if (parsed.totalTokens === undefined) throw new GatewayError('upstream_bad_response', `${this.name} returned no token count`);
    return parsed.totalTokens;
  }

  async listModels(call: CallOptions): Promise<ModelInfo[]> {
    const models: ModelInfo[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < mostModelPages; page++) {
      const query = `pageSize=${modelsPageSize}${pageToken === undefined ? '' : `&pageToken=${encodeURIComponent(pageToken)}`}`;
      const response = await this.send({ method: 'GET', path: `models?${query}` }, call);
      const parsed = this.validate(geminiListModelsResponseSchema, await readJsonObject(this.name, response.body));
      for (const model of parsed.models ?? []) models.push(convertModel(model));
      pageToken = parsed.nextPageToken;
      if (pageToken === undefined || pageToken === '') break;
    }
    return models;
  }

  private post(path: string, body: Record<string, unknown>, call: CallOptions): Promise<UpstreamResponse> {
    return this.send({ method: 'POST', path, body: JSON.stringify(body) }, call);
  }

  /** Sends one request; a non-2xx answer becomes a GatewayError here, so callers see only successes. */
  private async send(request: { method: 'GET' | 'POST'; path: string; body?: string }, call: CallOptions): Promise<UpstreamResponse> {
    const headers: Record<string, string> = { ...(this.settings.headers ?? {}), 'x-goog-api-key': this.settings.apiKey };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const response = await call.http.request({
      url: `${this.root}/${request.path}`,
      method: request.method,
      headers,
      body: request.body,
      signal: call.signal,
    });
    if (response.status < 200 || response.status > 299) throw await geminiStatusError(this.name, response);
    return response;
  }

  private validate<Schema extends z.ZodType>(schema: Schema, value: unknown): z.output<Schema> {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new GatewayError('upstream_bad_response', `${this.name} returned a body that does not match the Gemini schema`);
    return parsed.data;
  }
}

/** `models/<id>` (or a tuned model's own path), refusing names that would escape the path. */
function modelPath(model: string): string {
  if (model === '' || unsafeModelPattern.test(model)) {
    throw new GatewayError('invalid_request', `'${model}' is not a valid Gemini model name`, { param: 'model' });
  }
  return model.startsWith('models/') || model.startsWith('tunedModels/') ? model : `models/${model}`;
}

function convertModel(model: GeminiModel): ModelInfo {
  const info: ModelInfo = { id: model.name.replace(/^models\//, ''), ownedBy: 'google' };
  if (model.displayName !== undefined) info.displayName = model.displayName;
  if (model.inputTokenLimit !== undefined) info.contextWindow = model.inputTokenLimit;
  if (model.outputTokenLimit !== undefined) info.maxOutputTokens = model.outputTokenLimit;
  return info;
}
