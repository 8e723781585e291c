import { faultNames } from './fault-scenarios.js';
import type { SuiteReport } from './run-suite.js';

const twoMinutesMs = 120_000;

/**
 * Seeds from `0..9`, `1,7,42` or a mix (`0..4,42`). Ranges are inclusive. Throws on anything else, so a typo
 * does not silently run a different sweep.
 */
export function parseSeeds(text: string): number[] {
  const seeds: number[] = [];
  for (const part of text.split(',').map((each) => each.trim()).filter((each) => each.length > 0)) {
    const range = /^(\d+)\.\.(\d+)$/.exec(part);
    if (range !== null) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      if (to < from) throw new Error(`Seed range ${part} runs backwards.`);
      for (let seed = from; seed <= to; seed += 1) seeds.push(seed);
    } else if (/^\d+$/.test(part)) seeds.push(Number(part));
    else throw new Error(`Not a seed or a seed range: ${part}`);
  }
  if (seeds.length === 0) throw new Error('No seeds given.');
  return seeds;
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? 'missed' : `${(ms / 1000).toFixed(0)} s`;
}

/** Whether one seed's run met every target of the issue. */
export function metTargets(report: SuiteReport): boolean {
  return report.targets.detectedWithinTwoMinutes && report.targets.atMostOneFalseAlarmPerWeek && report.targets.remediationRestored;
}

/**
 * A table of one seed per row (false alarms on clean traffic, each fault's detection delay, whether the
 * remediation restored the service level) and the worst case over the rows: the distribution, not one lucky
 * seed, is what says whether the detectors meet their targets.
 */
export function sweepTable(title: string, reports: ReadonlyArray<SuiteReport>): string[] {
  const lines: string[] = [title];
  lines.push(['seed'.padEnd(9), 'false alarms (per week)'.padEnd(24), ...faultNames.map((name) => name.padEnd(19)), 'restored'.padEnd(9), 'targets'].join(' '));
  for (const report of reports) {
    const delays = faultNames.map((name) => {
      const fault = report.faults.find((each) => each.name === name);
      return (fault === undefined ? '-' : seconds(fault.detected ? fault.detectionDelayMs : undefined)).padEnd(19);
    });
    lines.push([String(report.seed).padEnd(9), `${report.clean.falseAlarms} (${report.clean.perWeek.toFixed(2)})`.padEnd(24), ...delays, String(report.targets.remediationRestored).padEnd(9), metTargets(report) ? 'met' : 'MISSED'].join(' '));
  }
  const worstDelays = faultNames.map((name) => {
    const delays = reports.map((report) => report.faults.find((each) => each.name === name)).filter((fault) => fault !== undefined);
    if (delays.length === 0) return '-'.padEnd(19);
    const missed = delays.some((fault) => !fault.detected);
    const worst = Math.max(...delays.map((fault) => fault.detectionDelayMs ?? 0));
    const late = delays.filter((fault) => !fault.detected || (fault.detectionDelayMs ?? Infinity) > twoMinutesMs).length;
    return `${missed ? 'missed' : seconds(worst)}${late > 0 ? ` (${late} late)` : ''}`.padEnd(19);
  });
  const worstAlarms = Math.max(...reports.map((report) => report.clean.falseAlarms));
  const worstPerWeek = Math.max(...reports.map((report) => report.clean.perWeek));
  const totalAlarms = reports.reduce((sum, report) => sum + report.clean.falseAlarms, 0);
  const totalDays = reports.reduce((sum, report) => sum + report.clean.days, 0);
  lines.push(['worst'.padEnd(9), `${worstAlarms} (${worstPerWeek.toFixed(2)})`.padEnd(24), ...worstDelays, String(reports.every((report) => report.targets.remediationRestored)).padEnd(9), `${reports.filter(metTargets).length}/${reports.length} met`].join(' '));
  lines.push(`pooled: ${totalAlarms} false alarm(s) in ${totalDays} clean days = ${((7 * totalAlarms) / Math.max(totalDays, 1)).toFixed(2)} per week`);
  return lines;
}
