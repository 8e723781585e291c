/**
 * Trains the shipped prompt-injection model: `npx tsx scripts/train-injection-model.ts [--out <file>]`.
 *
 * Data (all from `../shared/datasets`, see each folder's README for repository, commit and licence):
 *   attacks  jailbreak-in-the-wild (648 after dropping 18 flagged duplicates; MIT),
 *            cyberseceval-prompt-injection (251; MIT), bipia-email-indirect injected e-mails (100; MIT)
 *   benign   awesome-chatgpt-prompts-benign (411 benign: acp-0060, also an attack in jailbreak-in-the-wild,
 *            is dropped; plus its one relabelled DAN attack; CC0),
 *            xstest (450, safe and unsafe alike: none is an injection; CC BY 4.0, Röttger et al.),
 *            bipia-email-indirect clean e-mails (50, scanned as channel `document`)
 * plus the generated corpus of src/sentinel/injection/synthetic-corpus/ (seeded: public attack-technique
 * families and hard benign texts written from general knowledge; weighted in total like the real rows;
 * trained on, never used to pick thresholds).
 * (`dataSha256` in the model file fingerprints exactly these rows, `syntheticSha256` the generated ones.)
 * The shipped model is trained on ALL of these rows, so it must never be used to report accuracy on them:
 * `npm run eval:guardrails:injection` retrains per leave-one-source-out fold and reports those models only.
 *
 * Method: normalised text (src/sentinel/injection/normalise-text.ts) -> hashed word 1-2-grams and character
 * 3-5-grams in 2^18 buckets -> logistic regression by SGD (class-balanced, L2, fixed seed, 12 epochs).
 * Document and tool content (BIPIA) also gets document-only copies of its n-grams.
 * Thresholds: 5-fold out-of-fold scores on the real training rows (never the synthetic ones), lowest
 * threshold with <= 1 % benign flagged on each benign data set and on their pool, for the model alone and
 * for rules + model, separately for prompts and for documents.
 * Same inputs and seed give the same file, byte for byte.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { serialiseModel } from '../src/sentinel/injection/model-file.js';
import { defaultValidatedFitOptions, fitWithValidatedThresholds, minimumRowsPerGroup } from '../src/sentinel/injection/threshold-selection.js';
import { defaultSyntheticSeed } from '../src/sentinel/injection/synthetic-corpus/generate-corpus.js';
import { defaultDatasetDirectory, loadInjectionRows, syntheticTrainingRows, withSyntheticRows } from './eval-guardrails/injection-data.js';

const outIndex = process.argv.indexOf('--out');
const out = resolve(outIndex >= 0 ? process.argv[outIndex + 1] : 'src/sentinel/injection/model/injection-model.json');
const directory = process.env.SWITCHYARD_DATASETS ?? defaultDatasetDirectory;
const rows = loadInjectionRows(directory);
const synthetic = syntheticTrainingRows();
const model = fitWithValidatedThresholds(withSyntheticRows(rows, synthetic));
const counts: Record<string, { attacks: number; benign: number }> = {};
for (const row of rows) {
  counts[row.dataset] ??= { attacks: 0, benign: 0 };
  counts[row.dataset][row.isAttack ? 'attacks' : 'benign'] += 1;
}
const file = serialiseModel(model, {
  script: 'scripts/train-injection-model.ts',
  data: counts,
  dataSha256: createHash('sha256').update(rows.map((row) => `${row.id}\u0000${row.text}`).join('\u0000')).digest('hex'),
  synthetic: {
    generator: 'src/sentinel/injection/synthetic-corpus/generate-corpus.ts',
    seed: defaultSyntheticSeed,
    attacks: synthetic.filter((row) => row.isAttack).length,
    benign: synthetic.filter((row) => !row.isAttack).length,
    usedForThresholds: false,
    totalWeight: 'equal to the real rows',
  },
  syntheticSha256: createHash('sha256').update(synthetic.map((row) => `${row.isAttack ? 1 : 0}${row.channel}\u0000${row.text}`).join('\u0000')).digest('hex'),
  note: 'trained on every row listed; evaluation numbers come from leave-one-source-out models (docs/guardrails.md)',
  options: {
    ...defaultValidatedFitOptions.training,
    folds: defaultValidatedFitOptions.folds,
    targetFalsePositiveRate: defaultValidatedFitOptions.targetFalsePositiveRate,
    targetHoldsPer: `benign data set with at least ${minimumRowsPerGroup} out-of-fold rows, and for their pool`,
  },
});
writeFileSync(out, `${JSON.stringify(file)}\n`);
console.log(`wrote ${out}: ${rows.length} rows + ${synthetic.length} synthetic, thresholds model ${model.thresholds.model.toFixed(4)}, combined ${model.thresholds.combined.toFixed(4)}`);
