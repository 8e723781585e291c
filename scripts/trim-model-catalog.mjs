#!/usr/bin/env node
// Trims LiteLLM's model price & context-window table (MIT) to what Switchyard's model catalog needs:
// chat and embedding models of the providers Switchyard speaks to, and only the price, limit and
// capability fields. Re-run after refreshing the source file:
//   node scripts/trim-model-catalog.mjs [source.json] [target.json]
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const defaultSource = '../shared/specs/pricing/model_prices_and_context_window.json';
const source = process.argv[2] ?? fileURLToPath(new URL(`../${defaultSource}`, import.meta.url));
const target = process.argv[3] ?? fileURLToPath(new URL('../src/registry/data/model-catalog.json', import.meta.url));

const providers = new Set([
  'openai',
  'azure',
  'anthropic',
  'gemini',
  'ollama',
  'ollama_chat',
  'mistral',
  'groq',
  'deepseek',
  'together_ai',
  'openrouter',
]);
const modes = new Set(['chat', 'embedding']);
const fields = [
  'mode',
  'litellm_provider',
  'max_input_tokens',
  'max_output_tokens',
  'input_cost_per_token',
  'output_cost_per_token',
  'cache_read_input_token_cost',
  'cache_creation_input_token_cost',
  'output_cost_per_reasoning_token',
  'input_cost_per_token_above_200k_tokens',
  'output_cost_per_token_above_200k_tokens',
  // The long-context tier also changes the cache prices where the table gives them.
  'cache_read_input_token_cost_above_200k_tokens',
  'cache_creation_input_token_cost_above_200k_tokens',
  'supports_function_calling',
  'supports_vision',
  'supports_response_schema',
  'supports_reasoning',
];

const table = JSON.parse(readFileSync(source, 'utf8'));
const trimmed = {};
for (const key of Object.keys(table).sort()) {
  if (key === 'sample_spec') continue;
  const entry = table[key];
  if (!providers.has(entry.litellm_provider) || !modes.has(entry.mode)) continue;
  const kept = {};
  for (const field of fields) {
    const value = entry[field];
    // Drop nulls and the legacy string-typed numbers some entries carry.
    if (value === undefined || value === null) continue;
    if (field.startsWith('max_') && typeof value !== 'number') continue;
    kept[field] = value;
  }
  trimmed[key] = kept;
}
writeFileSync(target, `${JSON.stringify(trimmed, null, 0).replaceAll('},"', '},\n"')}\n`);
console.log(`model catalog: ${Object.keys(trimmed).length} entries -> ${target}`);
