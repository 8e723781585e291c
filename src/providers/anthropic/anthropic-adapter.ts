import { z } from 'zod';
import { parseJsonObject, readJsonObject } from '../../kit/json-body.js';
import {
  GatewayError,
  providerSpecVersion,
  type CallOptions,
  type ChatRequest,
  type ChatResult,
  type ChatStream,
  type ModelCapabilities,
  type ModelInfo,
  type PassthroughSupport,
  type ProviderAdapter,
  type UpstreamResponse,
} from '../../spec/index.js';
import { anthropicErrorFromText, anthropicStatusError } from './anthropic-error.js';
import { buildAnthropicRequest } from './anthropic-request.js';
import { convertAnthropicResponse } from './anthropic-response.js';
import { readAnthropicPassthroughUsage } from './anthropic-passthrough-usage.js';
import type { AnthropicSettings } from './anthropic-settings.js';
import { readAnthropicStream } from './anthropic-stream.js';

const countTokensSchema = z.looseObject({ input_tokens: z.number().int().nonnegative() });

const modelListSchema = z.looseObject({
  data: z.array(
    z.looseObject({
      id: z.string(),
      display_name: z.string().nullish(),
      created_at: z.string().nullish(),
      max_input_tokens: z.number().int().nullish(),
      max_tokens: z.number().int().nullish(),
    }),
  ),
  has_more: z.boolean().optional(),
  last_id: z.string().nullish(),
});

/** Fields of a Messages body that `count_tokens` accepts (it rejects max_tokens, temperature, ...). */
const countTokensFields = ['model', 'messages', 'system', 'tools', 'tool_choice', 'thinking'] as const;

/** Models before Claude 3 took no images and had no extended thinking. */
const legacyModelPattern = /^claude-(instant|2)/;
/** Claude 3.x models other than 3.7 have no extended thinking. */
const noReasoningPattern = /^claude-(instant|2|3-(opus|sonnet|haiku)|3-5)/;

/** The Anthropic Messages API adapter. */
export class AnthropicAdapter implements ProviderAdapter {
  readonly specVersion = providerSpecVersion;
  readonly kind = 'anthropic';
  private readonly baseUrl: string;
  private readonly headers: Record<string, string>;

  constructor(
    readonly name: string,
    private readonly settings: AnthropicSettings,
  ) {
    this.baseUrl = settings.baseUrl.replace(/\/+$/, '');
    // Built once: every request sends the same headers.
    this.headers = {
      ...(settings.headers ?? {}),
      'content-type': 'application/json',
      'x-api-key': settings.apiKey,
      'anthropic-version': settings.version,
      ...(settings.beta !== undefined && settings.beta.length > 0 ? { 'anthropic-beta': settings.beta.join(',') } : {}),
    };
  }

  /** Clients that speak the Messages API get their body forwarded as-is and the answer streamed back. */
  readonly passthrough: PassthroughSupport = {
    dialect: 'anthropic-messages',
    // The answer comes back whatever its status; the gateway maps error statuses with `readError`.
    forward: (body, call) =>
      call.http.request({ url: `${this.baseUrl}/v1/messages`, method: 'POST', headers: this.headers, body: JSON.stringify(body), signal: call.signal }),
    readUsage: readAnthropicPassthroughUsage,
    readError: (status, headers, bodyText) => anthropicErrorFromText(this.name, status, headers, bodyText),
  };

  capabilities(model: string): ModelCapabilities {
    const legacy = legacyModelPattern.test(model);
    return {
      chat: true,
      embeddings: false,
      tools: !legacy,
      images: !legacy,
      jsonSchema: !legacy,
      reasoning: !noReasoningPattern.test(model),
    };
  }

  async doChat(request: ChatRequest, call: CallOptions): Promise<ChatResult> {
    const { body, warnings } = this.buildBody(request, false);
    const response = await this.send('POST', '/v1/messages', body, call);
    return convertAnthropicResponse(this.name, await readJsonObject(this.name, response.body), warnings);
  }

  async doChatStream(request: ChatRequest, call: CallOptions): Promise<ChatStream> {
    const { body, warnings } = this.buildBody(request, true);
    const response = await this.send('POST', '/v1/messages', body, call);
    return readAnthropicStream({ providerName: this.name, body: response.body, signal: call.signal, warnings });
  }

  async countTokens(request: ChatRequest, call: CallOptions): Promise<number> {
    const { body } = this.buildBody(request, false);
    const countBody: Record<string, unknown> = {};
    for (const field of countTokensFields) if (body[field] !== undefined) countBody[field] = body[field];
    const response = await this.send('POST', '/v1/messages/count_tokens', countBody, call);
    const parsed = countTokensSchema.safeParse(await readJsonObject(this.name, response.body));
    if (!parsed.success) throw new GatewayError('upstream_bad_response', `${this.name} returned a token count without input_tokens`);
    return parsed.data.input_tokens;
  }

  async listModels(call: CallOptions): Promise<ModelInfo[]> {
    const models: ModelInfo[] = [];
    let afterId: string | undefined;
    // Follow the cursor; 1000 is the largest page Anthropic serves, so one page is the usual case.
    for (;;) {
      const query = afterId === undefined ? '?limit=1000' : `?limit=1000&after_id=${encodeURIComponent(afterId)}`;
      const response = await this.send('GET', `/v1/models${query}`, undefined, call);
      const parsed = modelListSchema.safeParse(parseJsonObject(this.name, await response.body.text()));
      if (!parsed.success) throw new GatewayError('upstream_bad_response', `${this.name} returned a model list that does not match its API`);
      for (const model of parsed.data.data) {
        const created = model.created_at ? Date.parse(model.created_at) : Number.NaN;
        models.push({
          id: model.id,
          ownedBy: 'anthropic',
          ...(model.display_name ? { displayName: model.display_name } : {}),
          ...(Number.isFinite(created) ? { createdAt: Math.floor(created / 1000) } : {}),
          ...(typeof model.max_input_tokens === 'number' ? { contextWindow: model.max_input_tokens } : {}),
          ...(typeof model.max_tokens === 'number' ? { maxOutputTokens: model.max_tokens } : {}),
        });
      }
      if (parsed.data.has_more !== true || !parsed.data.last_id || parsed.data.last_id === afterId) return models;
      afterId = parsed.data.last_id;
    }
  }

  private buildBody(request: ChatRequest, stream: boolean) {
    return buildAnthropicRequest(request, { defaultMaxTokens: this.settings.defaultMaxTokens, providerOptionsKey: this.kind }, stream);
  }

  /** Sends one request; a non-2xx answer becomes a GatewayError (the body is read for its message). */
  private async send(method: 'GET' | 'POST', path: string, body: Record<string, unknown> | undefined, call: CallOptions): Promise<UpstreamResponse> {
    const response = await call.http.request({
      url: `${this.baseUrl}${path}`,
      method,
      headers: this.headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: call.signal,
    });
    if (response.status < 200 || response.status >= 300) throw await anthropicStatusError(this.name, response);
    return response;
  }
}
