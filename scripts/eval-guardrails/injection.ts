/**
 * Prompt-injection evaluation (`npm run eval:guardrails:injection`): rules alone, the in-repo model alone,
 * and both combined, per attack source, on leave-one-source-out folds (`injection-folds.ts`): no reported
 * number comes from a model that saw the row, and every threshold is chosen on (real) training rows only.
 * Every fit also trains on the synthetic corpus (`src/sentinel/injection/synthetic-corpus/`), which is never
 * evaluated on; the report starts with a copy check of that corpus against the evaluated rows, and adds a
 * run with no real attack in training at all and the in-distribution cross-validation.
 * Prints a Markdown report. Needs `../shared/datasets` (or SWITCHYARD_DATASETS=<dir>).
 */
import { performance } from 'node:perf_hooks';
import { calibratedDecisionPoint, detectInjection } from '../../src/sentinel/injection/injection-detector.js';
import { thresholdsFor, type LinearModel } from '../../src/sentinel/injection/linear-model.js';
import { loadShippedInjectionModel } from '../../src/sentinel/injection/shipped-model.js';
import { fitWithValidatedThresholds, type ChannelExample } from '../../src/sentinel/injection/threshold-selection.js';
import { defaultRuleThreshold } from '../../src/sentinel/injection/rule-scorer.js';
import { defaultDatasetDirectory, loadInjectionRows, sharedWordRuns, syntheticTrainingRows, withSyntheticRows, type InjectionRow } from './injection-data.js';
import { attackSources, leaveOneSourceOutFolds, stratifiedFolds } from './injection-folds.js';
import { areaUnderCurve, balancedAccuracy, falsePositiveRate, percentile, rocTruePositiveRateAt, truePositiveRate, type ScoredRow } from './injection-metrics.js';

type Layer = 'rules' | 'model' | 'combined';
const layers: readonly Layer[] = ['rules', 'model', 'combined'];

interface Scored {
  row: InjectionRow;
  source: string;
  byLayer: Record<Layer, ScoredRow>;
}

function thresholdOf(layer: Layer, model: LinearModel, row: InjectionRow): number {
  if (layer === 'rules') return defaultRuleThreshold;
  return layer === 'model' ? thresholdsFor(model, row.channel).model : calibratedDecisionPoint;
}

function format(value: number): string {
  return Number.isNaN(value) ? '-' : value.toFixed(3);
}

function main(): void {
  const directory = process.env.SWITCHYARD_DATASETS ?? defaultDatasetDirectory;
  const rows = loadInjectionRows(directory);
  const synthetic = syntheticTrainingRows();
  const started = performance.now();
  const scored: Scored[] = [];
  const thresholds: string[] = [];
  for (const fold of leaveOneSourceOutFolds(rows)) {
    const model = fitWithValidatedThresholds(withSyntheticRows(fold.train, synthetic));
    thresholds.push(
      `${fold.source} half ${fold.half}: trained on ${fold.train.length} rows (${fold.train.filter((row) => row.isAttack).length} attacks) + ${synthetic.length} synthetic, ` +
        `thresholds model ${model.thresholds.model.toFixed(3)}, combined ${model.thresholds.combined.toFixed(3)}` +
        (model.thresholds.document === undefined ? '' : `; documents ${model.thresholds.document.model.toFixed(3)} / ${model.thresholds.document.combined.toFixed(3)}`),
    );
    for (const row of fold.evaluate) {
      const scores = detectInjection(row.text, row.channel, model);
      const byLayer = {} as Record<Layer, ScoredRow>;
      for (const layer of layers) {
        byLayer[layer] = { isAttack: row.isAttack, score: scores[layer], flagged: scores[layer] >= thresholdOf(layer, model, row) };
      }
      scored.push({ row, source: fold.source, byLayer });
    }
  }
  const foldSeconds = (performance.now() - started) / 1000;

  const lines: string[] = [];
  lines.push(
    `Datasets: ${directory} (${rows.length} rows after dropping flagged duplicates); every fold also trains on the ${synthetic.length} synthetic rows ` +
      `(${synthetic.filter((row) => row.isAttack).length} attacks; together weighted like the fold's real rows), never evaluated on. Folds trained in ${foldSeconds.toFixed(0)} s.`,
  );
  const shared = Object.entries(sharedWordRuns(synthetic, rows));
  lines.push(
    `Copy check: synthetic rows sharing a run of 8 words with an evaluated row: ${shared.length === 0 ? 'none' : shared.map(([family, count]) => `${family} ${count}`).join(', ')} ` +
      `(of ${synthetic.length}).`,
  );
  lines.push('');
  lines.push('| attack source (n) | layer | TPR | FPR benign prompts | FPR clean e-mails | balanced acc. | AUC | ROC TPR @ 1 % FPR |');
  lines.push('|---|---|---|---|---|---|---|---|');
  for (const source of attackSources) {
    const inFold = scored.filter((entry) => entry.source === source);
    const attacks = inFold.filter((entry) => entry.row.isAttack).length / 2;
    for (const layer of layers) {
      const prompts = inFold.filter((entry) => entry.row.isAttack || entry.row.channel === 'user').map((entry) => entry.byLayer[layer]);
      const emails = inFold.filter((entry) => !entry.row.isAttack && entry.row.channel === 'document').map((entry) => entry.byLayer[layer]);
      // BIPIA attacks are judged against clean e-mails (same channel); the prompt sets against benign prompts.
      const reference = source === 'bipia-email-indirect'
        ? inFold.filter((entry) => entry.row.dataset === source).map((entry) => entry.byLayer[layer])
        : prompts;
      lines.push(
        `| ${source} (${attacks}) | ${layer} | ${format(truePositiveRate(reference))} | ${format(falsePositiveRate(prompts))} | ${format(falsePositiveRate(emails))} | ` +
          `${format(balancedAccuracy(reference))} | ${format(areaUnderCurve(reference))} | ${format(rocTruePositiveRateAt(reference, 0.01))} |`,
      );
    }
  }
  lines.push('');
  lines.push('Benign FPR per set (each benign row scored by the held-out models of the three source folds):');
  lines.push('');
  lines.push('| benign set (n) | rules | model | combined |');
  lines.push('|---|---|---|---|');
  for (const dataset of ['awesome-chatgpt-prompts-benign', 'xstest', 'bipia-email-indirect'] as const) {
    const benign = scored.filter((entry) => !entry.row.isAttack && entry.row.dataset === dataset);
    const count = rows.filter((row) => !row.isAttack && row.dataset === dataset).length;
    lines.push(`| ${dataset} (${count}) | ${layers.map((layer) => format(falsePositiveRate(benign.map((entry) => entry.byLayer[layer])))).join(' | ')} |`);
  }
  lines.push('');
  lines.push('CyberSecEval by injection type and technique (combined layer, TPR):');
  lines.push('');
  const details = new Map<string, ScoredRow[]>();
  for (const entry of scored.filter((item) => item.row.dataset === 'cyberseceval-prompt-injection')) {
    for (const key of [entry.row.detail!.split('/')[0], entry.row.detail!]) {
      details.set(key, [...(details.get(key) ?? []), entry.byLayer.combined]);
    }
  }
  lines.push(
    [...details.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, list]) => `${key} ${format(truePositiveRate(list))} (n=${list.length / 2})`)
      .join('; '),
  );
  lines.push('');
  for (const layer of layers) {
    const pooled = scored.map((entry) => entry.byLayer[layer]);
    lines.push(`Pooled balanced accuracy, ${layer}: ${format(balancedAccuracy(pooled))}`);
  }
  lines.push('');
  lines.push(...thresholds.map((line) => `- ${line}`));
  lines.push('');
  lines.push(syntheticOnlyReport(rows, synthetic));
  lines.push('');
  lines.push(inDistributionReport(rows, synthetic));
  lines.push('');
  lines.push(latencyReport(rows));
  console.log(lines.join('\n'));
}

/**
 * Every attack source held out at once: per benign half h, train on the synthetic corpus plus the real
 * benign rows of the other half only (no real attack), score the real attacks (BIPIA: of half h's e-mails)
 * and the benign rows of h.
 * Measures what the generated corpus carries on its own.
 */
function syntheticOnlyReport(rows: readonly InjectionRow[], synthetic: readonly ChannelExample[]): string {
  const scored: { row: InjectionRow; flagged: boolean }[] = [];
  for (const half of [0, 1] as const) {
    const train = rows.filter((row) => !row.isAttack && row.half !== half);
    const model = fitWithValidatedThresholds(withSyntheticRows(train, synthetic));
    // BIPIA attacks only from this half's e-mails: the other half's clean copies were trained on.
    const evaluated = rows.filter((candidate) =>
      candidate.isAttack ? candidate.dataset !== 'awesome-chatgpt-prompts-benign' && (candidate.dataset !== 'bipia-email-indirect' || candidate.half === half) : candidate.half === half,
    );
    for (const row of evaluated) {
      scored.push({ row, flagged: detectInjection(row.text, row.channel, model).combined >= calibratedDecisionPoint });
    }
  }
  const rate = (list: { flagged: boolean }[]) => format(list.filter((entry) => entry.flagged).length / list.length);
  const benign = (channel: string) => scored.filter((entry) => !entry.row.isAttack && entry.row.channel === channel);
  const perSource = attackSources.map((source) => `${source} ${rate(scored.filter((entry) => entry.row.isAttack && entry.row.dataset === source))}`);
  return (
    `No real attack in training (synthetic corpus + the other half's benign rows; combined layer): TPR ${perSource.join(', ')}; ` +
    `FPR benign prompts ${rate(benign('user'))} (awesome-chatgpt-prompts ${rate(benign('user').filter((entry) => entry.row.dataset === 'awesome-chatgpt-prompts-benign'))}, ` +
    `XSTest ${rate(benign('user').filter((entry) => entry.row.dataset === 'xstest'))}), clean e-mails ${rate(benign('document'))}.`
  );
}

/** Stratified 5-fold cross-validation with every source in training (secondary, in-distribution table). */
function inDistributionReport(rows: readonly InjectionRow[], synthetic: readonly ChannelExample[]): string {
  const scored: { row: InjectionRow; byLayer: Record<Layer, ScoredRow> }[] = [];
  for (const fold of stratifiedFolds(rows, 5, 7)) {
    const model = fitWithValidatedThresholds(withSyntheticRows(fold.train, synthetic));
    for (const row of fold.evaluate) {
      const scores = detectInjection(row.text, row.channel, model);
      const byLayer = {} as Record<Layer, ScoredRow>;
      for (const layer of layers) {
        byLayer[layer] = { isAttack: row.isAttack, score: scores[layer], flagged: scores[layer] >= thresholdOf(layer, model, row) };
      }
      scored.push({ row, byLayer });
    }
  }
  const lines = [
    'In-distribution (stratified 5-fold CV, all sources plus the synthetic rows in training; each row scored once by the model that left it out):',
    '',
    '| attack source (n) | layer | TPR | FPR benign prompts | FPR clean e-mails | AUC | ROC TPR @ 1 % FPR |',
    '|---|---|---|---|---|---|---|',
  ];
  const prompts = (layer: Layer) => scored.filter((entry) => !entry.row.isAttack && entry.row.channel === 'user').map((entry) => entry.byLayer[layer]);
  const emails = (layer: Layer) => scored.filter((entry) => !entry.row.isAttack && entry.row.channel === 'document').map((entry) => entry.byLayer[layer]);
  for (const source of attackSources) {
    for (const layer of layers) {
      const attacks = scored.filter((entry) => entry.row.isAttack && entry.row.dataset === source).map((entry) => entry.byLayer[layer]);
      const reference = [...attacks, ...(source === 'bipia-email-indirect' ? emails(layer) : prompts(layer))];
      lines.push(
        `| ${source} (${attacks.length}) | ${layer} | ${format(truePositiveRate(attacks))} | ${format(falsePositiveRate(prompts(layer)))} | ` +
          `${format(falsePositiveRate(emails(layer)))} | ${format(areaUnderCurve(reference))} | ${format(rocTruePositiveRateAt(reference, 0.01))} |`,
      );
    }
  }
  lines.push('');
  for (const layer of layers) lines.push(`In-distribution balanced accuracy (all 1,911 rows), ${layer}: ${format(balancedAccuracy(scored.map((entry) => entry.byLayer[layer])))}`);
  return lines.join('\n');
}

/** p50/p95 of scoring one 4 KB benign prompt, rules only and rules + shipped model (after warm-up). */
function latencyReport(rows: readonly InjectionRow[]): string {
  const model = loadShippedInjectionModel();
  let prompt = '';
  for (const row of rows) {
    if (row.dataset !== 'awesome-chatgpt-prompts-benign') continue;
    prompt += `${row.text}\n`;
    if (prompt.length >= 4096) break;
  }
  prompt = prompt.slice(0, 4096);
  // Wall time includes waiting for a core on a busy machine; CPU time (process.cpuUsage) is the scan's own cost.
  const measure = (withModel: boolean): { wall: number[]; cpu: number[] } => {
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let run = 0; run < 1200; run += 1) {
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      detectInjection(prompt, 'user', withModel ? model : undefined);
      const elapsed = performance.now() - start;
      const used = process.cpuUsage(cpuStart);
      if (run >= 200) {
        wall.push(elapsed);
        cpu.push((used.user + used.system) / 1000);
      }
    }
    return { wall, cpu };
  };
  const describe = (name: string, timings: { wall: number[]; cpu: number[] }): string =>
    `${name}: wall p50 ${percentile(timings.wall, 50).toFixed(2)} / p95 ${percentile(timings.wall, 95).toFixed(2)}, ` +
    `CPU p50 ${percentile(timings.cpu, 50).toFixed(2)} / p95 ${percentile(timings.cpu, 95).toFixed(2)}`;
  return `Latency, one 4,096-character prompt, 1,000 runs after 200 warm-up (ms): ${describe('rules only', measure(false))}; ${describe('rules + model', measure(true))}.`;
}

main();
