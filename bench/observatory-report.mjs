// The core benchmark's report on the observatory: throughput with payload capture (full), tracing and
// metrics on, over the same gateway with payload capture and tracing off, per scenario (medians of
// per-repetition ratios, as for governance), and the RESULTS.md section with the whole harness table.
import { governanceRatios, ratioCells, ratioTableOf, resultsMarkdown } from './governance-report.mjs';

const heading = '## Core path and observatory overhead';

export function observatoryResultsSection({ result, table, requiredShare }) {
  const ratios = governanceRatios(result, [
    { preset: 'defaults', ungoverned: 'switchyard-observatory-off', governed: 'switchyard' },
    { preset: 'full', ungoverned: 'switchyard-observatory-off', governed: 'switchyard-observatory-full' },
  ]);
  const header = ['observatory', 'scenario', 'off', 'on', 'on/off', `>= ${requiredShare}`, 'CPUus/req off', 'CPUus/req on', 'errors'];
  const ratioTable = ratioTableOf(header, ratios.map((row) => [row.preset, row.scenario, ...ratioCells(row, requiredShare)]), 2);
  const options = result.meta.options;
  const markdown = resultsMarkdown({
    heading,
    introduction: [
      '`npm run bench` runs the shared harness with `switchyard` (master key, the defaults: ledger, payload capture',
      'in full, traces, metrics), `switchyard-observatory-full` (the same, each set explicitly) and',
      '`switchyard-observatory-off` (`payloads.mode: off`, tracing and metrics off; the ledger row stays, budgets',
      'need it), beside Portkey and the baseline proxy. The bar (issue 4): full / off throughput >= 0.85, and no',
      'request waits on a storage write (every write goes through a batched writer off the response path).',
    ],
    title: `${result.meta.started_at.slice(0, 10)}: ${options.reps} rep(s) x ${options.duration} s`,
    table,
    ratioTable,
  });
  return { ratioTable, markdown };
}
