import { fileURLToPath } from 'node:url';
import { describeAdapterContract } from '../contract/adapter-contract.js';
import { ollamaProvider } from './ollama-provider.js';

/** The settings the fixtures were recorded with. */
const fixtureSettings = { host: '127.0.0.1:11434', apiKey: 'test-ollama-key', keepAlive: '10m' };

describeAdapterContract({
  name: 'ollama',
  createAdapter: () => ollamaProvider.create('ollama', ollamaProvider.settingsSchema.parse(fixtureSettings)),
  fixturesDirectory: fileURLToPath(new URL('./__fixtures__', import.meta.url)),
  minimumFixtures: 20,
});
