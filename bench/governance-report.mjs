// The governance benchmark's report: the governed/ungoverned throughput ratio per preset and scenario, taken
// per repetition of one harness run (so both sides saw the same machine state), and the RESULTS.md section.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './harness.mjs';

const heading = '## Governance overhead';

function median(values) {
  const sorted = values.filter((value) => typeof value === 'number' && Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function throughputOf(run) {
  return run.kind === 'wrk' ? run.rps : run.streams_per_s;
}

/**
 * For each `{ preset, ungoverned, governed }` pair of harness gateway names and each scenario: the median over
 * repetitions of governed throughput / ungoverned throughput, both CPU µs per request (medians from the
 * harness summary) and the governed side's errors. A pair a gateway failed in gets `share: null`.
 */
export function governanceRatios(result, pairs) {
  const scenarios = [...new Map(result.summary.map((row) => [row.scenario, row.label])).entries()];
  const rows = [];
  for (const pair of pairs) {
    for (const [scenario, label] of scenarios) {
      const shares = [];
      for (const run of result.runs) {
        if (run.gateway !== pair.governed || run.scenario !== scenario || run.error) continue;
        const base = result.runs.find((other) => other.rep === run.rep && other.gateway === pair.ungoverned && other.scenario === scenario && !other.error);
        if (base && throughputOf(base) > 0) shares.push(throughputOf(run) / throughputOf(base));
      }
      const summaryOf = (gateway) => result.summary.find((row) => row.gateway === gateway && row.scenario === scenario);
      const ungoverned = summaryOf(pair.ungoverned);
      const governed = summaryOf(pair.governed);
      rows.push({
        preset: pair.versus === undefined ? pair.preset : `${pair.preset} vs ${pair.versus}`,
        scenario: label,
        ungovernedThroughput: ungoverned?.rps ?? ungoverned?.streams_per_s ?? null,
        governedThroughput: governed?.rps ?? governed?.streams_per_s ?? null,
        share: median(shares),
        ungovernedCpuMicros: ungoverned?.gw_cpu_us_per_req ?? null,
        governedCpuMicros: governed?.gw_cpu_us_per_req ?? null,
        errors: governed?.reps ? governed.errors : null,
      });
    }
  }
  return rows;
}

const format = (value, digits = 0) => (value === null || value === undefined ? '-' : value.toFixed(digits));

/** A ratio row's cells: both throughputs, the share, whether it meets the bar, both CPU figures, errors. */
export function ratioCells(row, requiredShare) {
  const digits = row.scenario.startsWith('stream') ? 1 : 0;
  return [
    format(row.ungovernedThroughput, digits),
    format(row.governedThroughput, digits),
    format(row.share, 2),
    row.share === null ? 'FAILED' : row.share >= requiredShare ? 'yes' : 'NO',
    format(row.ungovernedCpuMicros),
    format(row.governedCpuMicros),
    row.errors === null ? '-' : String(row.errors),
  ];
}

/** A plain-text table: the first `leftColumns` columns left-aligned, the others right-aligned. */
export function ratioTableOf(header, lines, leftColumns) {
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
  return [header, ...lines].map((line) => line.map((cell, column) => (column < leftColumns ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ')).join('\n');
}

/**
 * The ratio table (plain text, for the terminal) and the Markdown appended to bench/RESULTS.md: the
 * "Governance overhead" heading and its explanation the first time, then a dated subsection with the harness
 * table and the ratios.
 */
export function governanceResultsSection({ result, table, ratios, keys, requiredShare }) {
  const header = ['preset', 'scenario', 'ungoverned', 'governed', 'governed/ungoverned', `>= ${requiredShare}`, 'CPUus/req ungoverned', 'CPUus/req governed', 'errors'];
  const ratioTable = ratioTableOf(header, ratios.map((row) => [row.preset, row.scenario, ...ratioCells(row, requiredShare)]), 2);

  const options = result.meta.options;
  const markdown = resultsMarkdown({
    heading,
    introduction: [
      '`npm run bench -- --governance` (bench/governance.mjs) fills an embedded data directory, and a PostgreSQL',
      'schema + Redis prefix for the scaled preset, through the admin API: 1,000 virtual keys over 4 workspaces /',
      '8 teams, every key with a requests-per-minute limit, a tokens-per-minute limit and a monthly budget, and a',
      'monthly budget on every workspace, all far above what a run reaches. Each request of a virtual key thus',
      'checks 2 limits and reserves (then settles) on 2 budgets. One harness run then measures, per preset, the',
      'gateway called with the master key (`switchyard`, `switchyard-scaled`: not governed), with a virtual key',
      'that has no limit or budget (`-plain`) and with one of the limited keys (`-governed`). The bar (issue 3:',
      '"keeps at least 85 % of its throughput without them") is governed / plain >= 0.85 on both presets; the',
      'ratio to the master key (which also skips key lookup and attribution) is shown beside it.',
      'The ratio is taken per repetition and its median reported; `stream c=8` is bound by the mock\'s pacing',
      '(20 chunks x 5 ms), so there the CPU per stream is the number that shows the cost.',
    ],
    title: `${result.meta.started_at.slice(0, 10)}: ${keys} keys, ${options.reps} rep(s) x ${options.duration} s`,
    table,
    ratioTable,
  });
  return { ratioTable, markdown };
}

/**
 * A RESULTS.md section: the heading and its introduction the first time the file lacks that heading, then a
 * dated subsection with the harness table and the ratio table.
 */
export function resultsMarkdown({ heading, introduction, title, table, ratioTable }) {
  const resultsFile = join(root, 'bench', 'RESULTS.md');
  const hasHeading = existsSync(resultsFile) && readFileSync(resultsFile, 'utf8').split('\n').includes(heading);
  const parts = hasHeading ? [] : ['', heading, '', ...introduction];
  parts.push('', `### ${title}`, '', '```', table.trim(), '```', '', '```', ratioTable, '```', '');
  return parts.join('\n');
}
