// The core benchmark's report on the observatory: throughput with payload capture (full), trace storage and
// metrics on, over the same gateway with payload capture and tracing off, per scenario (medians of
// per-repetition ratios, as for governance), and the RESULTS.md section with the whole harness table.
import { governanceRatios, ratioCells, ratioTableOf, resultsMarkdown } from './governance-report.mjs';

const heading = '## Core path and observatory overhead';

export function observatoryResultsSection({ result, table, requiredShare }) {
  const ratios = governanceRatios(result, [{ preset: 'embedded', ungoverned: 'switchyard-observatory-off', governed: 'switchyard' }]);
  const header = ['scenario', 'observatory off', 'observatory on', 'on/off', `>= ${requiredShare}`, 'CPUus/req off', 'CPUus/req on', 'errors'];
  const ratioTable = ratioTableOf(header, ratios.map((row) => [row.scenario, ...ratioCells(row, requiredShare)]), 1);
  const options = result.meta.options;
  const markdown = resultsMarkdown({
    heading,
    introduction: [
      '`npm run bench` runs the shared harness with `switchyard` (master key; ledger, payload capture in full,',
      'trace storage and metrics on: the defaults) beside `switchyard-observatory-off` (the same with',
      '`payloads.mode: off` and `tracing.enabled: false`; the ledger and metrics stay, they are the core), Portkey',
      'and the baseline proxy. The bar (issue 4): on / off throughput >= 0.85, and no request waits on a storage',
      'write (every write goes through a batched writer off the response path).',
    ],
    title: `${result.meta.started_at.slice(0, 10)}: ${options.reps} rep(s) x ${options.duration} s`,
    table,
    ratioTable,
  });
  return { ratioTable, markdown };
}
