/**
 * Loads the injection datasets of `../shared/datasets` (see its README) into one list of labelled rows with
 * the grouping the evaluation and the training script both use. Only scripts read this; `npm test` never does.
 *
 * - Rows flagged `duplicate_of_earlier` (18 in jailbreak-in-the-wild) are dropped, and so is the benign
 *   awesome-chatgpt-prompts row that jailbreak-in-the-wild also holds as an attack (acp-0060, flagged
 *   `also_in_jailbreak_in_the_wild`; conflicting labels). The one relabelled DAN
 *   row of awesome-chatgpt-prompts stays an attack: it is trained on, never evaluated (that set is no
 *   attack source).
 * - BIPIA rows are scanned as channel `document`, everything else as `user`.
 * - `half` splits the benign rows in two fixed halves (by a hash of the id; for BIPIA by e-mail, so the
 *   clean and the two injected copies of one e-mail are always on the same side) for two-fold cross-fitting.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ScanChannel } from '../../src/sentinel/scanner.js';
import type { ChannelExample } from '../../src/sentinel/injection/threshold-selection.js';
import { generateSyntheticCorpus } from '../../src/sentinel/injection/synthetic-corpus/generate-corpus.js';

export type DatasetName =
  | 'jailbreak-in-the-wild'
  | 'cyberseceval-prompt-injection'
  | 'bipia-email-indirect'
  | 'awesome-chatgpt-prompts-benign'
  | 'xstest';

export const datasetNames: readonly DatasetName[] = [
  'jailbreak-in-the-wild',
  'cyberseceval-prompt-injection',
  'bipia-email-indirect',
  'awesome-chatgpt-prompts-benign',
  'xstest',
];

export interface InjectionRow {
  id: string;
  dataset: DatasetName;
  text: string;
  isAttack: boolean;
  channel: ScanChannel;
  /** 0 or 1: which fixed half of the benign data (and of the BIPIA e-mails) the row belongs to. */
  half: 0 | 1;
  /** Extra per-set labels for breakdowns (CyberSecEval injection_type / variant). */
  detail?: string;
  /** The data set: thresholds keep the false-positive target on each benign set (`threshold-selection.ts`). */
  calibrationGroup: DatasetName;
}

interface RawRow {
  id: string;
  text: string;
  is_attack: number;
  duplicate_of_earlier?: boolean;
  also_in_jailbreak_in_the_wild?: boolean;
  injection_type?: string;
  injection_variant?: string;
}

export const defaultDatasetDirectory = resolve(process.cwd(), '../shared/datasets');

function halfOf(key: string): 0 | 1 {
  return (createHash('sha256').update(key).digest()[0] & 1) as 0 | 1;
}

/** Every usable row of the five injection sets. Throws with a clear message when the folder is missing. */
export function loadInjectionRows(directory: string = defaultDatasetDirectory): InjectionRow[] {
  const rows: InjectionRow[] = [];
  for (const dataset of datasetNames) {
    const path = resolve(directory, dataset, 'data.jsonl');
    let content: string;
    try {
      content = readFileSync(path, 'utf8');
    } catch {
      throw new Error(`dataset not found: ${path} (the injection datasets live in ../shared/datasets)`);
    }
    for (const line of content.split('\n')) {
      if (line.trim() === '') continue;
      const raw = JSON.parse(line) as RawRow;
      if (raw.duplicate_of_earlier === true || raw.also_in_jailbreak_in_the_wild === true) continue;
      const email = /^bip-(\d+)-/.exec(raw.id)?.[1];
      rows.push({
        id: raw.id,
        dataset,
        text: raw.text,
        isAttack: raw.is_attack === 1,
        channel: dataset === 'bipia-email-indirect' ? 'document' : 'user',
        half: halfOf(email !== undefined ? `bipia-email-${email}` : raw.id),
        detail: raw.injection_type !== undefined ? `${raw.injection_type}/${raw.injection_variant}` : undefined,
        calibrationGroup: dataset,
      });
    }
  }
  return rows;
}


/**
 * The generated training corpus (`src/sentinel/injection/synthetic-corpus/`), added to the training rows of
 * every fit: the shipped model and every evaluation fold alike. Never evaluated on, and marked
 * `calibration: false` so that only real benign rows choose the thresholds.
 */
export function syntheticTrainingRows(): (ChannelExample & { family: string })[] {
  return generateSyntheticCorpus().map((example) => ({
    text: example.text,
    isAttack: example.isAttack,
    channel: example.channel,
    calibration: false,
    family: example.family,
  }));
}

/**
 * Training rows of one fit: the real rows plus the synthetic ones, each synthetic row weighted so that
 * the generated corpus as a whole counts as much as the real rows (it is a prior on attack families, not
 * a replacement for real traffic).
 */
export function withSyntheticRows(real: readonly ChannelExample[], synthetic: readonly ChannelExample[]): ChannelExample[] {
  const weight = synthetic.length === 0 ? 1 : real.length / synthetic.length;
  return [...real, ...synthetic.map((row) => ({ ...row, weight }))];
}

function wordSequences(text: string, length: number): string[] {
  const words = text.toLowerCase().split(/\s+/).filter((word) => word.length > 0);
  const sequences: string[] = [];
  for (let start = 0; start + length <= words.length; start += 1) sequences.push(words.slice(start, start + length).join(' '));
  return sequences;
}

/**
 * Copy check of the generated corpus against the evaluated rows: per synthetic family, how many generated
 * texts share any run of `length` consecutive words with a dataset row. Reported by the evaluation so a
 * template that reproduces a known prompt (rather than a technique) shows up.
 */
export function sharedWordRuns(synthetic: readonly (ChannelExample & { family?: string })[], rows: readonly InjectionRow[], length = 8): Record<string, number> {
  const seen = new Set<string>();
  for (const row of rows) for (const sequence of wordSequences(row.text, length)) seen.add(sequence);
  const shared: Record<string, number> = {};
  for (const example of synthetic) {
    if (!wordSequences(example.text, length).some((sequence) => seen.has(sequence))) continue;
    const family = example.family ?? 'unknown';
    shared[family] = (shared[family] ?? 0) + 1;
  }
  return shared;
}
