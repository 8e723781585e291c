import type { Finding, ScanChannel } from '../scanner.js';
import { featureDomainOf, type FeatureDomain } from './features.js';
import { scoreNormalisedText, thresholdsFor, type LinearModel } from './linear-model.js';
import { findEncodedRuns } from '../scanners/encoded-runs.js';
import { normaliseText } from './normalise-text.js';
import { defaultRuleThreshold, originalOffset as toOriginal, scoreRules } from './rule-scorer.js';

/** The three scores of one text, so callers (and the evaluation) can use each layer on its own. */
export interface InjectionScores {
  rules: number;
  /** 0 when no model is configured. */
  model: number;
  /**
   * Rules and model together, calibrated so that 0.5 is the decision point: the larger of the rule score
   * and the model score, each mapped so its own threshold lands on 0.5 (`calibrate`). Flagged (>= 0.5)
   * exactly when the rules reach `defaultRuleThreshold` or the model reaches its combined threshold for
   * the channel (`thresholdsFor`).
   */
  combined: number;
  /** Rule findings (original offsets). */
  findings: Finding[];
  /** The window the model score came from, in original offsets; absent without a model. */
  modelWindow?: { start: number; end: number };
}

/** Window length and step (in normalised characters) for scoring long texts with the model. */
export interface WindowOptions {
  size: number;
  stride: number;
}

// ~1,500 characters holds a typical jailbreak template whole; a 4 KB prompt is scored as four windows.
export const defaultWindowOptions: WindowOptions = { size: 1500, stride: 1000 };

/**
 * Scores a text with the rules (whole text) and the model (the maximum over overlapping windows, so an
 * instruction buried in a long document is not diluted by the rest of it), and does the same for every
 * readable encoded payload inside it (`findEncodedRuns`), keeping the highest score of each layer.
 */
export function detectInjection(
  text: string,
  channel: ScanChannel,
  model: LinearModel | undefined,
  windows: WindowOptions = defaultWindowOptions,
  modelThreshold: number | undefined = model === undefined ? undefined : thresholdsFor(model, channel).combined,
): InjectionScores {
  const normalised = normaliseText(text);
  const rules = scoreRules(normalised, channel, text.length);
  const domain = featureDomainOf(channel);
  const window = model === undefined ? undefined : windowedModelScore(model, normalised.text, windows, domain);
  let rulesScore = rules.score;
  const findings = rules.findings;
  let modelScore = window?.score ?? 0;
  let modelWindow = window === undefined ? undefined : { start: toOriginal(normalised, window.start, text.length), end: toOriginal(normalised, window.end, text.length) };
  // Smuggled payloads (base64, hex, url-encoded, Unicode tag characters) are decoded and scored as texts of
  // their own; a hit inside one is reported over the whole encoded run of the original text.
  for (const run of findEncodedRuns(text).slice(0, maximumDecodedRuns)) {
    const inner = normaliseText(run.text);
    const innerRules = scoreRules(inner, channel, run.text.length);
    if (innerRules.findings.length > 0) {
      rulesScore = Math.max(rulesScore, innerRules.score);
      for (const finding of innerRules.findings) findings.push({ ...finding, start: run.start, end: run.end });
    }
    if (model !== undefined) {
      const innerWindow = windowedModelScore(model, inner.text, windows, domain);
      if (innerWindow.score > modelScore) {
        modelScore = innerWindow.score;
        modelWindow = { start: run.start, end: run.end };
      }
    }
  }
  return {
    rules: rulesScore,
    model: modelScore,
    combined: Math.max(
      calibrate(rulesScore, defaultRuleThreshold),
      window === undefined ? 0 : calibrate(modelScore, modelThreshold ?? 0.5),
    ),
    findings,
    modelWindow,
  };
}

/** At most this many decoded payloads are scored per text (each costs one more scan of its decoded text). */
export const maximumDecodedRuns = 8;

/** The model's best window: its score and its range in the normalised text (end exclusive). */
export interface WindowScore {
  score: number;
  start: number;
  end: number;
}

/** Highest model score over the windows of an already-normalised text. */
export function windowedModelScore(
  model: LinearModel,
  normalisedText: string,
  windows: WindowOptions = defaultWindowOptions,
  domain: FeatureDomain = 'prompt',
): WindowScore {
  if (normalisedText.length <= windows.size) {
    return { score: scoreNormalisedText(model, normalisedText, domain), start: 0, end: normalisedText.length };
  }
  let best: WindowScore = { score: -1, start: 0, end: 0 };
  for (let start = 0; start < normalisedText.length; start += windows.stride) {
    const end = Math.min(start + windows.size, normalisedText.length);
    // The last window is pulled back to full length rather than scoring a short tail on its own.
    const from = end - start < windows.size ? Math.max(0, end - windows.size) : start;
    const score = scoreNormalisedText(model, normalisedText.slice(from, end), domain);
    if (score > best.score) best = { score, start: from, end };
    if (end === normalisedText.length) break;
  }
  return best;
}

/** The score policies compare with: each layer's own operating point is mapped to this value. */
export const calibratedDecisionPoint = 0.5;

/** Monotone piecewise-linear map of [0, threshold] onto [0, 0.5] and [threshold, 1] onto [0.5, 1]. */
export function calibrate(raw: number, threshold: number): number {
  if (threshold <= 0) return calibratedDecisionPoint + (1 - calibratedDecisionPoint) * raw;
  if (threshold >= 1) return raw >= 1 ? 1 : calibratedDecisionPoint * raw;
  if (raw < threshold) return (calibratedDecisionPoint * raw) / threshold;
  return calibratedDecisionPoint + ((1 - calibratedDecisionPoint) * (raw - threshold)) / (1 - threshold);
}
