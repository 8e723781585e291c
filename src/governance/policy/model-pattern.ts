import { modelMatchesAny } from '../../config/llm-hierarchy-model-patterns.js';

export { matchesPattern, modelMatchesAny, modelNames } from '../../config/llm-hierarchy-model-patterns.js';

/**
 * True when `model` matches one model pattern (`gpt-4o*`, `openai/*`; `*` any run of characters, `?` one).
 * With the serving provider given, `openai/*` also matches a bare `gpt-4o` served by `openai`. The same
 * matching as policies and the configuration hierarchy's `allowed_models`.
 */
export function matchesModelPattern(pattern: string, model: string, provider?: string): boolean {
  return modelMatchesAny([pattern], model, provider);
}
