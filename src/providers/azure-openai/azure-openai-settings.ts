import { z } from 'zod';

/** Settings of one Azure OpenAI resource (secrets already resolved to strings). */
export const azureOpenaiSettingsSchema = z.strictObject({
  /** Sent as the `api-key` header. */
  apiKey: z.string().min(1),
  /** The resource endpoint, e.g. `https://my-resource.openai.azure.com`. */
  endpoint: z.string().url(),
  /** The `api-version` query parameter of the deployments surface. */
  apiVersion: z.string().min(1).default('2024-10-21'),
  /**
   * `deployments`: `/openai/deployments/{deployment}/...?api-version=`; `v1`: the version-less
   * `/openai/v1/...` surface, where the body's `model` is the deployment name.
   */
  surface: z.enum(['deployments', 'v1']).default('deployments'),
  /** Model name -> deployment name; a model not listed is assumed to be deployed under its own name. */
  deployments: z.record(z.string(), z.string().min(1)).optional(),
});

/** Validated Azure OpenAI settings. */
export type AzureOpenaiSettings = z.output<typeof azureOpenaiSettingsSchema>;
