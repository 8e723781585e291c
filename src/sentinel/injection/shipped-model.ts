import rawModel from './model/injection-model.json' with { type: 'json' };
import type { LinearModel } from './linear-model.js';
import { parseModel } from './model-file.js';

let cached: LinearModel | undefined;

/**
 * The committed model (`model/injection-model.json`, produced by `scripts/train-injection-model.ts` on all
 * injection datasets; its `training` field records the data and options). Decoded once, on first use.
 */
export function loadShippedInjectionModel(): LinearModel {
  cached ??= parseModel(rawModel);
  return cached;
}
