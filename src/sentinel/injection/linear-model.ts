import type { ScanChannel } from '../scanner.js';
import { extractFeatures, featureDomainOf, type FeatureDomain, type FeatureOptions, type SparseVector } from './features.js';

/**
 * A logistic-regression model over hashed n-gram features: `P(attack) = sigmoid(w . x + bias)`.
 * Thresholds travel with the weights because they were chosen on the model's own validation scores.
 */
export interface LinearModel {
  features: FeatureOptions;
  weights: Float32Array;
  bias: number;
  /** Score thresholds picked on validation data (see `train-linear-model.ts`). */
  thresholds: ModelThresholds;
}

/** Decision thresholds on the model probability, for one feature domain. */
export interface DomainThresholds {
  /** The model used alone. */
  model: number;
  /** The model used next to the rules (a text is flagged when either fires), so the union keeps the target FPR. */
  combined: number;
}

/** Prompt-channel thresholds, plus document/tool-channel ones when validation had benign documents. */
export interface ModelThresholds extends DomainThresholds {
  document?: DomainThresholds;
}

/** The thresholds that apply to a channel (document and tool content use the document ones when present). */
export function thresholdsFor(model: LinearModel, channel: ScanChannel): DomainThresholds {
  return featureDomainOf(channel) === 'document' && model.thresholds.document !== undefined ? model.thresholds.document : model.thresholds;
}

/** `w . x + bias` for one sparse vector. */
export function margin(model: Pick<LinearModel, 'weights' | 'bias'>, vector: SparseVector): number {
  let sum = model.bias;
  const { indices, values } = vector;
  for (let index = 0; index < indices.length; index += 1) sum += model.weights[indices[index]] * values[index];
  return sum;
}

export function sigmoid(value: number): number {
  if (value >= 0) return 1 / (1 + Math.exp(-value));
  const exponent = Math.exp(value);
  return exponent / (1 + exponent);
}

/** The model's probability that an already-normalised text is an attack. */
export function scoreNormalisedText(model: LinearModel, normalisedText: string, domain: FeatureDomain = 'prompt'): number {
  return sigmoid(margin(model, extractFeatures(normalisedText, model.features, domain)));
}
