// Mulberry32; `Math.random` would make the weights unreproducible. (Lives with the routing tests today;
// a move to src/kit would suit both users.)
import { seededRandom } from '../../gateway/routing/test-support/seeded-random.js';
import type { ScanChannel } from '../scanner.js';
import { extractFeatures, defaultFeatureOptions, featureDomainOf, type FeatureOptions, type SparseVector } from './features.js';
import { margin, sigmoid, type LinearModel } from './linear-model.js';
import { normaliseText } from './normalise-text.js';

/** One labelled training text. */
export interface TrainingExample {
  text: string;
  isAttack: boolean;
  /** The channel the text is scanned on (picks the feature domain); `user` when absent. */
  channel?: ScanChannel;
  /** Relative weight in the loss (default 1), applied on top of the class balancing. */
  weight?: number;
}

/** Hyper-parameters of the SGD fit; the defaults are what the shipped model uses. */
export interface TrainingOptions {
  features: FeatureOptions;
  epochs: number;
  /** L2 regularisation strength. */
  lambda: number;
  /** Initial learning rate; decays as eta0 / (1 + lambda * eta0 * t). */
  learningRate: number;
  /** Seed of the example shuffle; same data + same seed = same weights, bit for bit. */
  seed: number;
}

export const defaultTrainingOptions: TrainingOptions = {
  features: defaultFeatureOptions,
  epochs: 12,
  lambda: 1e-5,
  learningRate: 0.5,
  seed: 20261127,
};

export { seededRandom };

/** Fisher-Yates with the seeded generator. */
export function seededShuffle<T>(items: readonly T[], random: () => number): T[] {
  const copy = items.slice();
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other], copy[index]];
  }
  return copy;
}

/** Feature vectors of the examples, normalised exactly as the scanner normalises at run time. */
export function vectorise(examples: readonly TrainingExample[], features: FeatureOptions): SparseVector[] {
  return examples.map((example) => extractFeatures(normaliseText(example.text).text, features, featureDomainOf(example.channel ?? 'user')));
}

/**
 * Fits logistic regression by SGD with exact L2 regularisation (the weight-scale trick, so each step only
 * touches the example's non-zero features) and class-balanced example weights (attacks and benign texts
 * count equally in total whatever their row counts and per-example `weight`s). Thresholds are left at 0.5; `chooseThresholds` in
 * `threshold-selection.ts` sets them from validation scores.
 */
export function trainLinearModel(
  examples: readonly TrainingExample[],
  options: TrainingOptions = defaultTrainingOptions,
  vectors: readonly SparseVector[] = vectorise(examples, options.features),
): LinearModel {
  const dimension = 1 << options.features.dimensionBits;
  const direction = new Float64Array(dimension);
  let scale = 1;
  let bias = 0;
  let positives = 0;
  let negatives = 0;
  for (const example of examples) {
    if (example.isAttack) positives += example.weight ?? 1;
    else negatives += example.weight ?? 1;
  }
  if (positives === 0 || negatives === 0) throw new Error('training needs both attack and benign examples');
  const positiveWeight = (positives + negatives) / (2 * positives);
  const negativeWeight = (positives + negatives) / (2 * negatives);
  const random = seededRandom(options.seed);
  const order = examples.map((_, index) => index);
  let step = 0;
  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    for (const index of seededShuffle(order, random)) {
      step += 1;
      const rate = options.learningRate / (1 + options.lambda * options.learningRate * step);
      const vector = vectors[index];
      const label = examples[index].isAttack ? 1 : 0;
      let dot = 0;
      for (let k = 0; k < vector.indices.length; k += 1) dot += direction[vector.indices[k]] * vector.values[k];
      const gradient = (sigmoid(scale * dot + bias) - label) * (label === 1 ? positiveWeight : negativeWeight) * (examples[index].weight ?? 1);
      scale *= 1 - rate * options.lambda;
      const update = (rate * gradient) / scale;
      for (let k = 0; k < vector.indices.length; k += 1) direction[vector.indices[k]] -= update * vector.values[k];
      bias -= rate * gradient * 0.1;
      if (scale < 1e-6) {
        for (let k = 0; k < dimension; k += 1) direction[k] *= scale;
        scale = 1;
      }
    }
  }
  const weights = new Float32Array(dimension);
  for (let k = 0; k < dimension; k += 1) weights[k] = direction[k] * scale;
  return { features: options.features, weights, bias, thresholds: { model: 0.5, combined: 0.5 } };
}

/** Raw probability of one vector (used during training, before any windowing). */
export function probability(model: LinearModel, vector: SparseVector): number {
  return sigmoid(margin(model, vector));
}
