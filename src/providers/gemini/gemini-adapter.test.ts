import { fileURLToPath } from 'node:url';
import { describeAdapterContract } from '../contract/adapter-contract.js';
import { GeminiAdapter } from './gemini-adapter.js';
import { geminiSettingsSchema } from './gemini-settings.js';

describeAdapterContract({
  name: 'gemini',
  createAdapter: () => new GeminiAdapter('gemini', geminiSettingsSchema.parse({ apiKey: 'test-gemini-key' })),
  fixturesDirectory: fileURLToPath(new URL('./__fixtures__', import.meta.url)),
  minimumFixtures: 19,
});
