/**
 * Where and how an OpenAI-shaped API is reached: the URLs of each operation and the headers (auth
 * included) sent with every request. The wire code in this folder is shared by OpenAI, Azure OpenAI and
 * OpenAI-compatible servers; only the endpoint differs between them.
 */
export interface OpenAIEndpoint {
  /** Headers sent with every request, built once when the adapter is created. */
  readonly headers: Readonly<Record<string, string>>;
  chatCompletionsUrl(model: string): string;
  embeddingsUrl(model: string): string;
  modelsUrl(): string;
  /** The `model` field to send for a model (Azure's v1 surface sends the deployment name). */
  bodyModel(model: string): string;
}

/** Strips trailing slashes so paths can be appended with one `/`. */
export function trimTrailingSlashes(url: string): string {
  return url.replace(/\/+$/, '');
}

/** The plain OpenAI layout: `${baseUrl}/chat/completions`, `/embeddings`, `/models`. */
export function createBaseUrlEndpoint(baseUrl: string, headers: Record<string, string>): OpenAIEndpoint {
  const root = trimTrailingSlashes(baseUrl);
  const chatUrl = `${root}/chat/completions`;
  const embeddingsUrl = `${root}/embeddings`;
  const modelsUrl = `${root}/models`;
  return {
    headers,
    chatCompletionsUrl: () => chatUrl,
    embeddingsUrl: () => embeddingsUrl,
    modelsUrl: () => modelsUrl,
    bodyModel: (model) => model,
  };
}

/** Request headers: the configured extras first so they can never replace the content type or auth. */
export function buildJsonHeaders(extra: Record<string, string> | undefined, auth: Record<string, string>): Record<string, string> {
  return { ...(extra ?? {}), 'content-type': 'application/json', ...auth };
}
