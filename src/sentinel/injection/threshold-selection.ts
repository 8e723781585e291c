import type { ScanChannel } from '../scanner.js';
import { detectInjection } from './injection-detector.js';
import { featureDomainOf, type FeatureDomain } from './features.js';
import type { DomainThresholds, LinearModel, ModelThresholds } from './linear-model.js';
import { defaultRuleThreshold } from './rule-scorer.js';
import { defaultTrainingOptions, seededRandom, seededShuffle, trainLinearModel, vectorise, type TrainingExample, type TrainingOptions } from './train-linear-model.js';

/** A training example with the channel it is scanned on (documents enable the document-only rules). */
export interface ChannelExample extends TrainingExample {
  channel: ScanChannel;
}

/**
 * The lowest threshold at which at most `maxFalsePositiveRate` of the benign scores reach it
 * (a score counts as flagged when `score >= threshold`).
 */
export function thresholdForFalsePositiveRate(benignScores: readonly number[], maxFalsePositiveRate: number): number {
  if (benignScores.length === 0) return 0.5;
  return thresholdForCount(benignScores, Math.floor(maxFalsePositiveRate * benignScores.length));
}

/** The lowest threshold that at most `allowed` of the scores reach. */
function thresholdForCount(scores: readonly number[], allowed: number): number {
  if (allowed >= scores.length) return 0;
  const descending = scores.slice().sort((a, b) => b - a);
  return Math.min(1, descending[allowed] + 1e-9);
}

/** Below this many out-of-fold benign documents the document channel uses the prompt thresholds. */
export const minimumDocumentsForThresholds = 20;

interface OutOfFoldBenign {
  model: number[];
  modelWithoutRuleHit: number[];
  ruleHits: number;
}

function emptyBenign(): OutOfFoldBenign {
  return { model: [], modelWithoutRuleHit: [], ruleHits: 0 };
}

function domainThresholds(benign: OutOfFoldBenign, target: number): DomainThresholds {
  // Next to the rules the model may only use the false-positive budget the rules left over.
  const budget = Math.floor(target * benign.model.length) - benign.ruleHits;
  return {
    model: thresholdForFalsePositiveRate(benign.model, target),
    combined: budget < 0 ? 1 : thresholdForCount(benign.modelWithoutRuleHit, budget),
  };
}

/** Options of a fit whose thresholds come from cross-validated scores on the training rows. */
export interface ValidatedFitOptions {
  training: TrainingOptions;
  /** Inner folds used to get out-of-fold validation scores. */
  folds: number;
  /** FPR the thresholds aim for on the out-of-fold benign scores. */
  targetFalsePositiveRate: number;
}

export const defaultValidatedFitOptions: ValidatedFitOptions = {
  training: defaultTrainingOptions,
  folds: 5,
  targetFalsePositiveRate: 0.01,
};

/**
 * Trains on all `examples` and sets the model and combined thresholds (per feature domain) from k-fold
 * out-of-fold scores of the same examples: every benign score used to pick a threshold comes from a model that did not see that
 * row, and no row outside `examples` is looked at.
 */
export function fitWithValidatedThresholds(
  examples: readonly ChannelExample[],
  options: ValidatedFitOptions = defaultValidatedFitOptions,
): LinearModel {
  const vectors = vectorise(examples, options.training.features);
  const random = seededRandom(options.training.seed ^ 0x5bd1e995);
  const order = seededShuffle(
    examples.map((_, index) => index),
    random,
  );
  const benign: Record<FeatureDomain, OutOfFoldBenign> = { prompt: emptyBenign(), document: emptyBenign() };
  for (let fold = 0; fold < options.folds; fold += 1) {
    const held = new Set(order.filter((_, position) => position % options.folds === fold));
    const trainIndexes = order.filter((index) => !held.has(index));
    const foldModel = trainLinearModel(
      trainIndexes.map((index) => examples[index]),
      options.training,
      trainIndexes.map((index) => vectors[index]),
    );
    for (const index of held) {
      if (examples[index].isAttack) continue;
      const scores = detectInjection(examples[index].text, examples[index].channel, foldModel);
      const bucket = benign[featureDomainOf(examples[index].channel)];
      bucket.model.push(scores.model);
      if (scores.rules >= defaultRuleThreshold) bucket.ruleHits += 1;
      else bucket.modelWithoutRuleHit.push(scores.model);
    }
  }
  const thresholds: ModelThresholds = domainThresholds(benign.prompt, options.targetFalsePositiveRate);
  // Documents get their own operating point only with enough benign documents to choose it on.
  if (benign.document.model.length >= minimumDocumentsForThresholds) {
    thresholds.document = domainThresholds(benign.document, options.targetFalsePositiveRate);
  }
  return { ...trainLinearModel(examples, options.training, vectors), thresholds };
}
