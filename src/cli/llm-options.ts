import type { Command } from 'commander';
import type { z } from 'zod';
import type { llmSettingsSchema } from '../governance/admin/admin-schemas.js';
import { collectList, integerParser, parseTemperature } from './command-values.js';

/** Model settings at one level of the organisation -> workspace -> key hierarchy, as the admin API takes them. */
export type LlmSettingsView = z.output<typeof llmSettingsSchema>;

/** The `set-llm` flags, as commander parses them. */
export interface LlmOptions {
  provider?: string;
  model?: string;
  temperature?: number;
  maxTokens?: number;
  allowedModels?: string[];
  replace?: boolean;
}

/** Adds the model-setting flags shared by `org set-llm`, `workspace set-llm` and `workspace create`. */
export function withLlmOptions(command: Command, { replaceFlag }: { replaceFlag: boolean }): Command {
  command
    .option('--provider <name>', 'provider instance (e.g. ollama, openai)')
    .option('--model <model>', 'default model (e.g. llama3:8b, gpt-4o)')
    .option('--temperature <number>', 'sampling temperature, 0 to 2', parseTemperature)
    .option('--max-tokens <count>', 'max_tokens when a request sets none', integerParser(1))
    .option('--allowed-models <models>', 'models requests may name (comma-separated, repeatable)', collectList);
  if (replaceFlag) command.option('--replace', 'drop the settings not given here (default: keep them)');
  return command;
}

/** The settings named on the command line. */
export function llmFromOptions(options: LlmOptions): LlmSettingsView {
  const settings: LlmSettingsView = {};
  if (options.provider !== undefined) settings.provider = options.provider;
  if (options.model !== undefined) settings.model = options.model;
  if (options.temperature !== undefined) settings.temperature = options.temperature;
  if (options.maxTokens !== undefined) settings.maxTokens = options.maxTokens;
  if (options.allowedModels !== undefined) settings.allowedModels = options.allowedModels;
  return settings;
}

/**
 * What `set-llm` sends: the API replaces a level's settings whole, so the current ones are kept unless
 * `--replace` is given, and `set-llm --temperature 0.3` does not forget the model set earlier.
 */
export function nextLlmSettings(current: LlmSettingsView, options: LlmOptions): LlmSettingsView {
  const given = llmFromOptions(options);
  if (!options.replace && Object.keys(given).length === 0) throw new Error('nothing to set: give --provider, --model, --temperature, --max-tokens or --allowed-models');
  return options.replace ? given : { ...current, ...given };
}

/** `provider=openai model=gpt-4o temperature=0.3`, or `-` when nothing is set (everything is inherited). */
export function formatLlm(settings: LlmSettingsView): string {
  const parts: string[] = [];
  if (settings.provider !== undefined) parts.push(`provider=${settings.provider}`);
  if (settings.model !== undefined) parts.push(`model=${settings.model}`);
  if (settings.temperature !== undefined) parts.push(`temperature=${settings.temperature}`);
  if (settings.maxTokens !== undefined) parts.push(`max_tokens=${settings.maxTokens}`);
  if (settings.allowedModels !== undefined) parts.push(`allowed_models=${settings.allowedModels.join(',')}`);
  return parts.length === 0 ? '-' : parts.join(' ');
}
