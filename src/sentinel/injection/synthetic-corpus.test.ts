import { describe, expect, it } from 'vitest';
import { normaliseText } from './normalise-text.js';
import { defaultSyntheticSeed, generateSyntheticCorpus, syntheticFamilies } from './synthetic-corpus/generate-corpus.js';
import { tokenSmugglingInjection } from './synthetic-corpus/injection-templates.js';
import { fill } from './synthetic-corpus/random-text.js';
import { seededRandom } from './train-linear-model.js';
import { fitWithValidatedThresholds, type ChannelExample } from './threshold-selection.js';
import { defaultTrainingOptions, type TrainingOptions } from './train-linear-model.js';

describe('synthetic training corpus', () => {
  const corpus = generateSyntheticCorpus();

  it('is the same for the same seed and different for another', () => {
    const again = generateSyntheticCorpus(defaultSyntheticSeed);
    expect(again.map((example) => example.text)).toEqual(corpus.map((example) => example.text));
    const other = generateSyntheticCorpus(defaultSyntheticSeed + 1);
    expect(other.map((example) => example.text)).not.toEqual(corpus.map((example) => example.text));
  });

  it('has distinct texts, both labels, and each family with its declared label and channel', () => {
    expect(new Set(corpus.map((example) => example.text)).size).toBe(corpus.length);
    for (const family of syntheticFamilies) {
      const rows = corpus.filter((example) => example.family === family.name);
      // Small families (a fixed list of phrasings) may yield fewer distinct texts, but never none.
      expect(rows.length, family.name).toBeGreaterThan(Math.min(15, family.count / 2));
      expect(rows.length, family.name).toBeLessThanOrEqual(family.count);
      expect(rows.every((row) => row.isAttack === family.isAttack && row.channel === family.channel), family.name).toBe(true);
    }
    const attacks = corpus.filter((example) => example.isAttack).length;
    expect(attacks).toBeGreaterThan(1000);
    expect(corpus.length - attacks).toBeGreaterThan(1000);
  });

  it('hides the attack in documents: injected documents carry an instruction their benign twins lack', () => {
    const documents = corpus.filter((example) => example.channel === 'document');
    expect(documents.some((example) => example.isAttack)).toBe(true);
    expect(documents.some((example) => !example.isAttack)).toBe(true);
  });

  it('encodes token-smuggling payloads so that the instruction is not readable as words', () => {
    const random = seededRandom(7);
    const texts = Array.from({ length: 40 }, () => tokenSmugglingInjection(random));
    expect(texts.some((text) => /[A-Za-z0-9+/]{24,}={0,2}/.test(text))).toBe(true);
    // At least some variants would slip past a plain word match on "ignore ... instructions".
    expect(texts.some((text) => !/(ignore|disregard|forget|override).{0,40}(instructions|rules)/.test(normaliseText(text).text))).toBe(true);
  });

  it('refuses a template slot it does not know', () => {
    expect(fill('a {known} b', { known: () => 'x' })).toBe('a x b');
    expect(() => fill('a {unknown}', {})).toThrow(/unknown slot/);
  });
});

describe('rows excluded from threshold selection', () => {
  const fast: TrainingOptions = { ...defaultTrainingOptions, features: { ...defaultTrainingOptions.features, dimensionBits: 14 }, epochs: 5 };

  it('are trained on but never choose an operating point (generated documents do not set the document thresholds)', () => {
    const corpus = generateSyntheticCorpus();
    const prompts = corpus.filter((example) => example.channel === 'user').filter((_, index) => index % 20 === 0);
    const documents = corpus.filter((example) => example.channel === 'document' && !example.isAttack).slice(0, 30);
    const asExamples = (calibration: boolean): ChannelExample[] => [
      ...prompts.map((example) => ({ text: example.text, isAttack: example.isAttack, channel: example.channel })),
      ...documents.map((example) => ({ text: example.text, isAttack: false, channel: example.channel, calibration })),
    ];
    const options = { training: fast, folds: 3, targetFalsePositiveRate: 0.01 };
    expect(fitWithValidatedThresholds(asExamples(true), options).thresholds.document).toBeDefined();
    expect(fitWithValidatedThresholds(asExamples(false), options).thresholds.document).toBeUndefined();
  });
});
