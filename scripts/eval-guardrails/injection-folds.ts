/**
 * The leave-one-source-out splits behind every reported injection number (documented in docs/guardrails.md).
 *
 * Attack sources: jailbreak-in-the-wild, cyberseceval-prompt-injection, bipia-email-indirect (injected rows).
 * Benign rows (awesome-chatgpt-prompts, xstest, BIPIA clean e-mails) are split in two fixed halves.
 * Fold (S, h), for evaluated source S and benign half h:
 *   train = attacks of every source except S  +  benign rows of half 1-h
 *           (BIPIA rows only from the e-mails of half 1-h; for S = bipia-email-indirect no BIPIA row at all)
 *   evaluate = attacks of S  +  benign rows of half h  (+ all clean BIPIA e-mails when S = bipia)
 * Each attack of S is therefore scored twice (once per half), each benign row once per S, always by a model
 * that never saw it; thresholds come from out-of-fold scores inside `train` only.
 */
import { seededRandom, seededShuffle } from '../../src/sentinel/injection/train-linear-model.js';
import type { DatasetName, InjectionRow } from './injection-data.js';

export const attackSources: readonly DatasetName[] = ['jailbreak-in-the-wild', 'cyberseceval-prompt-injection', 'bipia-email-indirect'];

export interface Fold {
  source: DatasetName;
  half: 0 | 1;
  train: InjectionRow[];
  evaluate: InjectionRow[];
}

export function leaveOneSourceOutFolds(rows: readonly InjectionRow[]): Fold[] {
  const folds: Fold[] = [];
  for (const source of attackSources) {
    for (const half of [0, 1] as const) {
      const evaluate = rows.filter((row) =>
        row.isAttack
          ? row.dataset === source
          : row.half === half || (source === 'bipia-email-indirect' && row.dataset === source),
      );
      const evaluated = new Set(evaluate);
      // Injected BIPIA e-mails of half h are left out too: they contain the clean e-mails being evaluated.
      const train = rows.filter(
        (row) =>
          !evaluated.has(row) &&
          row.dataset !== source &&
          !(row.half === half && (!row.isAttack || row.dataset === 'bipia-email-indirect')),
      );
      folds.push({ source, half, train, evaluate });
    }
  }
  return folds;
}

/**
 * In-distribution k-fold cross-validation over all rows (every source in training), stratified by data set;
 * rows of one BIPIA e-mail stay in one fold. Each row is evaluated once, by the model of the fold that
 * left it out. Answers "how well on attacks like the training sources", not "on a new attack family".
 */
export function stratifiedFolds(rows: readonly InjectionRow[], folds: number, seed: number): { train: InjectionRow[]; evaluate: InjectionRow[] }[] {
  const random = seededRandom(seed);
  const foldOf = new Map<InjectionRow, number>();
  const groups = new Map<string, InjectionRow[]>();
  for (const row of rows) {
    const key = row.dataset === 'bipia-email-indirect' ? row.id.replace(/-(clean|atk\d+)$/, '') : row.id;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  for (const dataset of new Set(rows.map((row) => `${row.dataset}/${row.isAttack}`))) {
    const keys = [...groups.keys()].filter((key) => {
      const first = groups.get(key)![0];
      return `${first.dataset}/${first.isAttack}` === dataset;
    });
    seededShuffle(keys, random).forEach((key, position) => {
      for (const row of groups.get(key)!) foldOf.set(row, position % folds);
    });
  }
  return Array.from({ length: folds }, (_, fold) => ({
    train: rows.filter((row) => foldOf.get(row) !== fold),
    evaluate: rows.filter((row) => foldOf.get(row) === fold),
  }));
}
