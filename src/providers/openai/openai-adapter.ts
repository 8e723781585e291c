import { readJsonObject } from '../../kit/json-body.js';
import {
  providerSpecVersion,
  type CallOptions,
  type ChatRequest,
  type ChatResult,
  type ChatStream,
  type EmbedRequest,
  type EmbedResult,
  type GatewayError,
  type ModelCapabilities,
  type ModelInfo,
  type PassthroughSupport,
  type ProviderAdapter,
  type UpstreamResponse,
  type Usage,
} from '../../spec/index.js';
import { buildOpenAIChatBody, type OpenAIChatBodyOptions } from './openai-chat-body.js';
import { openaiCapabilities } from './openai-capabilities.js';
import { convertOpenAIEmbeddings, buildOpenAIEmbeddingsBody } from './openai-embeddings.js';
import { buildJsonHeaders, createBaseUrlEndpoint, type OpenAIEndpoint } from './openai-endpoint.js';
import { openaiErrorFromText, openaiStatusError } from './openai-error.js';
import { convertOpenAIModelList } from './openai-models.js';
import { convertOpenAIResponse } from './openai-response.js';
import type { OpenAISettings } from './openai-settings.js';
import { readOpenAIStream } from './openai-stream.js';
import { convertOpenAIUsage } from './openai-usage.js';

/** How one OpenAI-shaped upstream is reached and what differs in its wire. */
export interface OpenAIWireAdapterOptions extends OpenAIChatBodyOptions {
  /** The provider kind (`openai`, `azure-openai`, `openai-compatible`). */
  kind: string;
  endpoint: OpenAIEndpoint;
  capabilities(model: string): ModelCapabilities;
}

/**
 * An adapter for any Chat Completions wire. OpenAI, Azure OpenAI and OpenAI-compatible servers are
 * instances of this class that differ only in their {@link OpenAIEndpoint} and body options.
 */
export class OpenAIWireAdapter implements ProviderAdapter {
  readonly specVersion = providerSpecVersion;
  readonly kind: string;
  readonly passthrough: PassthroughSupport;
  private readonly endpoint: OpenAIEndpoint;
  private readonly headers: Record<string, string>;

  constructor(
    readonly name: string,
    private readonly options: OpenAIWireAdapterOptions,
  ) {
    this.kind = options.kind;
    this.endpoint = options.endpoint;
    this.headers = { ...options.endpoint.headers };
    const providerName = name;
    const endpoint = this.endpoint;
    const headers = this.headers;
    // The fast path: kept free of validation and copies, it runs for every forwarded request and chunk.
    this.passthrough = {
      dialect: 'openai-chat',
      forward(body: Record<string, unknown>, call: CallOptions): Promise<UpstreamResponse> {
        const model = String(body.model);
        const bodyModel = endpoint.bodyModel(model);
        const sent = bodyModel === model ? body : { ...body, model: bodyModel };
        return call.http.request({ url: endpoint.chatCompletionsUrl(model), method: 'POST', headers, body: JSON.stringify(sent), signal: call.signal });
      },
      readUsage(json: Record<string, unknown>): Usage | undefined {
        return json.usage === undefined || json.usage === null ? undefined : convertOpenAIUsage(json.usage);
      },
      readError(status, responseHeaders, bodyText): GatewayError {
        return openaiErrorFromText(providerName, status, responseHeaders, bodyText);
      },
    };
  }

  capabilities(model: string): ModelCapabilities {
    return this.options.capabilities(model);
  }

  async doChat(request: ChatRequest, call: CallOptions): Promise<ChatResult> {
    const { body, warnings } = buildOpenAIChatBody(request, this.endpoint.bodyModel(request.model), false, this.options);
    const response = await this.send('POST', this.endpoint.chatCompletionsUrl(request.model), body, call);
    return convertOpenAIResponse(this.name, this.kind, await readJsonObject(this.name, response.body), warnings);
  }

  async doChatStream(request: ChatRequest, call: CallOptions): Promise<ChatStream> {
    const { body, warnings } = buildOpenAIChatBody(request, this.endpoint.bodyModel(request.model), true, this.options);
    const response = await this.send('POST', this.endpoint.chatCompletionsUrl(request.model), body, call);
    return readOpenAIStream(response.body, { providerName: this.name, metadataKey: this.kind, signal: call.signal, warnings });
  }

  async doEmbed(request: EmbedRequest, call: CallOptions): Promise<EmbedResult> {
    const body = buildOpenAIEmbeddingsBody(request, this.endpoint.bodyModel(request.model), this.options.providerOptionsKey);
    const response = await this.send('POST', this.endpoint.embeddingsUrl(request.model), body, call);
    return convertOpenAIEmbeddings(this.name, await readJsonObject(this.name, response.body), []);
  }

  async listModels(call: CallOptions): Promise<ModelInfo[]> {
    const response = await this.send('GET', this.endpoint.modelsUrl(), undefined, call);
    return convertOpenAIModelList(this.name, await readJsonObject(this.name, response.body));
  }

  /** Sends one request; a non-2xx answer becomes a GatewayError (the body is read for its message). */
  private async send(method: 'GET' | 'POST', url: string, body: Record<string, unknown> | undefined, call: CallOptions): Promise<UpstreamResponse> {
    const response = await call.http.request({
      url,
      method,
      headers: this.headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: call.signal,
    });
    if (response.status < 200 || response.status >= 300) throw await openaiStatusError(this.name, response);
    return response;
  }
}

/** The auth and account headers of OpenAI's API. */
export function openaiHeaders(settings: OpenAISettings): Record<string, string> {
  const auth: Record<string, string> = {};
  if (settings.apiKey !== undefined) auth.authorization = `Bearer ${settings.apiKey}`;
  if (settings.organization !== undefined) auth['openai-organization'] = settings.organization;
  if (settings.project !== undefined) auth['openai-project'] = settings.project;
  return buildJsonHeaders(settings.headers, auth);
}

/** An adapter for OpenAI's own API (or a proxy in front of it). */
export function createOpenAIAdapter(name: string, settings: OpenAISettings): OpenAIWireAdapter {
  return new OpenAIWireAdapter(name, {
    kind: 'openai',
    endpoint: createBaseUrlEndpoint(settings.baseUrl, openaiHeaders(settings)),
    providerOptionsKey: 'openai',
    maxTokensField: 'max_completion_tokens',
    acceptsTopK: false,
    capabilities: openaiCapabilities,
  });
}
