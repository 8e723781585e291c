import { buildJsonHeaders, trimTrailingSlashes, type OpenAIEndpoint } from '../openai/openai-endpoint.js';
import type { AzureOpenaiSettings } from './azure-openai-settings.js';

/**
 * Azure OpenAI's URL layout. Both surfaces take the key in an `api-key` header. On the deployments surface
 * the deployment is in the path (the body's `model` is ignored by Azure but harmless); on the v1 surface
 * the deployment is the body's `model`.
 */
export function createAzureOpenaiEndpoint(settings: AzureOpenaiSettings): OpenAIEndpoint {
  const root = trimTrailingSlashes(settings.endpoint);
  const deployments = settings.deployments ?? {};
  const deploymentOf = (model: string): string => deployments[model] ?? model;
  const headers = buildJsonHeaders(undefined, { 'api-key': settings.apiKey });
  if (settings.surface === 'v1') {
    return {
      headers,
      chatCompletionsUrl: () => `${root}/openai/v1/chat/completions`,
      embeddingsUrl: () => `${root}/openai/v1/embeddings`,
      modelsUrl: () => `${root}/openai/v1/models`,
      bodyModel: deploymentOf,
    };
  }
  const query = `?api-version=${encodeURIComponent(settings.apiVersion)}`;
  const deploymentUrl = (model: string, operation: string): string =>
    `${root}/openai/deployments/${encodeURIComponent(deploymentOf(model))}/${operation}${query}`;
  return {
    headers,
    chatCompletionsUrl: (model) => deploymentUrl(model, 'chat/completions'),
    embeddingsUrl: (model) => deploymentUrl(model, 'embeddings'),
    // Lists the models the resource can deploy (deployments themselves are a management-plane API).
    modelsUrl: () => `${root}/openai/models${query}`,
    bodyModel: (model) => model,
  };
}
