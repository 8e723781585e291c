import { fileURLToPath } from 'node:url';
import { describeAdapterContract } from '../contract/adapter-contract.js';
import { createOpenaiCompatibleAdapter } from './openai-compatible-adapter.js';
import { openaiCompatibleSettingsSchema } from './openai-compatible-settings.js';

describeAdapterContract({
  name: 'openai-compatible',
  createAdapter: () =>
    createOpenaiCompatibleAdapter('my-vllm', openaiCompatibleSettingsSchema.parse({ baseUrl: 'http://127.0.0.1:8000/v1/', apiKey: 'local-key' })),
  fixturesDirectory: fileURLToPath(new URL('./__fixtures__', import.meta.url)),
  minimumFixtures: 10,
});
