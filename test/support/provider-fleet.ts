import { startAnthropicMock } from '../mock-providers/anthropic-mock.js';
import { startAzureOpenAIMock } from '../mock-providers/azure-openai-mock.js';
import { startGeminiMock } from '../mock-providers/gemini-mock.js';
import type { MockProvider } from '../mock-providers/mock-provider.js';
import { startOllamaMock } from '../mock-providers/ollama-mock.js';
import { startOpenAIMock } from '../mock-providers/openai-mock.js';

/** One mock provider with the config entry and the model name that reach it through the gateway. */
export interface FleetMember {
  /** The provider instance name in the gateway config. */
  name: string;
  mock: MockProvider;
  /** The `providers:` entry. */
  entry: Record<string, unknown>;
  /** A model name a client sends to reach this provider. */
  model: string;
  embeddingModel?: string;
}

/** All six provider kinds, each on its own mock server. */
export interface ProviderFleet {
  members: FleetMember[];
  byName(name: string): FleetMember;
  providers(): Array<Record<string, unknown>>;
  reset(): void;
  close(): Promise<void>;
}

/** Starts one mock per provider kind. */
export async function startProviderFleet(): Promise<ProviderFleet> {
  const [openai, anthropic, gemini, ollama, azure, compatible] = await Promise.all([
    startOpenAIMock(),
    startAnthropicMock(),
    startGeminiMock(),
    startOllamaMock(),
    startAzureOpenAIMock(),
    startOpenAIMock(),
  ]);
  const members: FleetMember[] = [
    { name: 'openai', mock: openai, entry: { name: 'openai', kind: 'openai', apiKey: 'sk-upstream-openai', baseUrl: openai.baseUrl }, model: 'openai/gpt-4o-mini', embeddingModel: 'openai/text-embedding-3-small' },
    { name: 'anthropic', mock: anthropic, entry: { name: 'anthropic', kind: 'anthropic', apiKey: 'sk-ant-upstream', baseUrl: anthropic.baseUrl }, model: 'anthropic/claude-sonnet-4-5' },
    { name: 'gemini', mock: gemini, entry: { name: 'gemini', kind: 'gemini', apiKey: 'gemini-upstream-key', baseUrl: gemini.baseUrl }, model: 'gemini/gemini-2.5-flash', embeddingModel: 'gemini/gemini-embedding-001' },
    { name: 'ollama', mock: ollama, entry: { name: 'ollama', kind: 'ollama', host: ollama.baseUrl }, model: 'ollama/llama3.2', embeddingModel: 'ollama/nomic-embed-text' },
    { name: 'azure', mock: azure, entry: { name: 'azure', kind: 'azure-openai', apiKey: 'azure-upstream-key', endpoint: azure.baseUrl }, model: 'azure/gpt-4o', embeddingModel: 'azure/text-embedding-3-small' },
    { name: 'vllm', mock: compatible, entry: { name: 'vllm', kind: 'openai-compatible', baseUrl: compatible.baseUrl, apiKey: 'vllm-key' }, model: 'vllm/Qwen/Qwen2.5-7B-Instruct', embeddingModel: 'vllm/BAAI/bge-small-en' },
  ];
  return {
    members,
    byName(name) {
      const member = members.find((candidate) => candidate.name === name);
      if (member === undefined) throw new Error(`no fleet member ${name}`);
      return member;
    },
    providers: () => members.map((member) => member.entry),
    reset() {
      for (const member of members) member.mock.reset();
    },
    async close() {
      await Promise.all(members.map((member) => member.mock.close()));
    },
  };
}
