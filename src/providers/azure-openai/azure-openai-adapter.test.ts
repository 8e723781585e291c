import { fileURLToPath } from 'node:url';
import { describeAdapterContract } from '../contract/adapter-contract.js';
import { createAzureOpenaiAdapter } from './azure-openai-adapter.js';
import { azureOpenaiSettingsSchema } from './azure-openai-settings.js';

const deployments = { 'gpt-4o': 'prod-gpt4o', 'text-embedding-3-small': 'embed-small' };

describeAdapterContract({
  name: 'azure-openai (deployments surface)',
  createAdapter: () =>
    createAzureOpenaiAdapter(
      'azure',
      azureOpenaiSettingsSchema.parse({ apiKey: 'azure-test-key', endpoint: 'https://contoso.openai.azure.com/', deployments }),
    ),
  fixturesDirectory: fileURLToPath(new URL('./__fixtures__', import.meta.url)),
  minimumFixtures: 9,
});

describeAdapterContract({
  name: 'azure-openai (v1 surface)',
  createAdapter: () =>
    createAzureOpenaiAdapter(
      'azure',
      azureOpenaiSettingsSchema.parse({ apiKey: 'azure-test-key', endpoint: 'https://contoso.openai.azure.com', surface: 'v1', deployments }),
    ),
  fixturesDirectory: fileURLToPath(new URL('./__fixtures__/v1', import.meta.url)),
  minimumFixtures: 3,
});
