import { fileURLToPath } from 'node:url';
import { describeAdapterContract } from '../contract/adapter-contract.js';
import { anthropicProvider } from './anthropic-provider.js';

describeAdapterContract({
  name: 'anthropic',
  createAdapter: () => anthropicProvider.create('anthropic', anthropicProvider.settingsSchema.parse({ apiKey: 'sk-ant-test' })),
  fixturesDirectory: fileURLToPath(new URL('./__fixtures__', import.meta.url)),
  minimumFixtures: 20,
});
