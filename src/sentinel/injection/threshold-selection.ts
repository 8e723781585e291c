import type { ScanChannel } from '../scanner.js';
import { detectInjection } from './injection-detector.js';
import { featureDomainOf, type FeatureDomain } from './features.js';
import type { DomainThresholds, LinearModel, ModelThresholds } from './linear-model.js';
import { defaultRuleThreshold } from './rule-scorer.js';
import { defaultTrainingOptions, seededRandom, seededShuffle, trainLinearModel, vectorise, type TrainingExample, type TrainingOptions } from './train-linear-model.js';

/** A training example with the channel it is scanned on (documents enable the document-only rules). */
export interface ChannelExample extends TrainingExample {
  channel: ScanChannel;
  /**
   * `false`: trained on but never used to pick a threshold. Generated rows (the synthetic corpus) are
   * easier than real traffic, so a threshold set on them would flag too much of it; only real benign
   * rows set the operating point. Default `true`.
   */
  calibration?: boolean;
  /**
   * The benign set the row belongs to (e.g. its dataset). The false-positive target holds for each group
   * with at least `minimumRowsPerGroup` benign rows, not only for their pool: otherwise one easy set
   * spends the whole budget of a hard one. Rows without a group form one group.
   */
  calibrationGroup?: string;
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

function pooledThresholds(benign: OutOfFoldBenign, target: number): DomainThresholds {
  // Next to the rules the model may only use the false-positive budget the rules left over.
  const budget = Math.floor(target * benign.model.length) - benign.ruleHits;
  return {
    model: thresholdForFalsePositiveRate(benign.model, target),
    combined: budget < 0 ? 1 : thresholdForCount(benign.modelWithoutRuleHit, budget),
  };
}

/** Below this many out-of-fold benign rows a calibration group only counts as part of the pool. */
export const minimumRowsPerGroup = 50;

/** The strictest of the pooled thresholds and those of every group large enough to have its own. */
function domainThresholds(groups: ReadonlyMap<string, OutOfFoldBenign>, target: number): DomainThresholds {
  const pool = emptyBenign();
  for (const group of groups.values()) {
    pool.model.push(...group.model);
    pool.modelWithoutRuleHit.push(...group.modelWithoutRuleHit);
    pool.ruleHits += group.ruleHits;
  }
  const result = pooledThresholds(pool, target);
  for (const group of groups.values()) {
    if (group.model.length < minimumRowsPerGroup) continue;
    const own = pooledThresholds(group, target);
    result.model = Math.max(result.model, own.model);
    result.combined = Math.max(result.combined, own.combined);
  }
  return result;
}

function benignCount(groups: ReadonlyMap<string, OutOfFoldBenign>): number {
  let count = 0;
  for (const group of groups.values()) count += group.model.length;
  return count;
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
  const benign: Record<FeatureDomain, Map<string, OutOfFoldBenign>> = { prompt: new Map(), document: new Map() };
  for (let fold = 0; fold < options.folds; fold += 1) {
    const held = new Set(order.filter((_, position) => position % options.folds === fold));
    const trainIndexes = order.filter((index) => !held.has(index));
    const foldModel = trainLinearModel(
      trainIndexes.map((index) => examples[index]),
      options.training,
      trainIndexes.map((index) => vectors[index]),
    );
    for (const index of held) {
      if (examples[index].isAttack || examples[index].calibration === false) continue;
      const scores = detectInjection(examples[index].text, examples[index].channel, foldModel);
      const groups = benign[featureDomainOf(examples[index].channel)];
      const group = examples[index].calibrationGroup ?? '';
      if (!groups.has(group)) groups.set(group, emptyBenign());
      const bucket = groups.get(group)!;
      bucket.model.push(scores.model);
      if (scores.rules >= defaultRuleThreshold) bucket.ruleHits += 1;
      else bucket.modelWithoutRuleHit.push(scores.model);
    }
  }
  const thresholds: ModelThresholds = domainThresholds(benign.prompt, options.targetFalsePositiveRate);
  // Documents get their own operating point only with enough benign documents to choose it on.
  if (benignCount(benign.document) >= minimumDocumentsForThresholds) {
    thresholds.document = domainThresholds(benign.document, options.targetFalsePositiveRate);
  }
  return { ...trainLinearModel(examples, options.training, vectors), thresholds };
}
