import { fileURLToPath } from 'node:url';
import { describeAdapterContract } from '../contract/adapter-contract.js';
import { createOpenAIAdapter } from './openai-adapter.js';
import { openaiSettingsSchema } from './openai-settings.js';

describeAdapterContract({
  name: 'openai',
  createAdapter: () => createOpenAIAdapter('openai', openaiSettingsSchema.parse({ apiKey: 'sk-test' })),
  fixturesDirectory: fileURLToPath(new URL('./__fixtures__', import.meta.url)),
  minimumFixtures: 20,
});
