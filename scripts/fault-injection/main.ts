import { cusumRunLength } from '../../src/sentinel/anomaly/drift-detector.js';
import { detectorSettings } from '../../src/sentinel/anomaly/detector-settings.js';
import { faultNames, type FaultName } from './fault-scenarios.js';
import { runFaultInjectionSuite, type SuiteReport } from './run-suite.js';
import { metTargets, parseSeeds, sweepTable } from './seed-sweep.js';

// `npm run fault-injection [-- --clean-days 14 --training-days 14 --seed 7 --faults slow-leak,error-burst
// --cusum-limit 5 --cusum-slack 1.25 --json]`: replays synthetic traffic
// in simulated time through the anomaly detectors and the remediation engine, injects the four faults and
// prints the report. Exits non-zero when a target is missed.
// `--seeds 0..9 [--held-out-seeds 10..19]` runs one seed after another (about two minutes each) and prints a
// row per seed with the worst case of each group instead.

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? '-' : `${(ms / 1000).toFixed(0)} s`;
}

function figure(value: number): string {
  return Number.isNaN(value) ? '-' : Math.abs(value) < 1 ? `${(value * 100).toFixed(2)} %` : value.toFixed(0);
}

function print(report: SuiteReport): void {
  const lines: string[] = [];
  lines.push(`Fault-injection suite (seed ${report.seed}, ${report.bucketMs / 1000} s buckets, simulated time)`);
  lines.push(`Training: ${report.training.days} days, ${report.training.seriesCount} series; held-out day: ${report.training.validation.falseAlarms} alarm(s), ${report.training.validation.allowedFalseAlarms.toFixed(2)} allowed -> ${report.training.validation.accepted ? 'accepted' : 'rejected'}`);
  const drift = detectorSettings(runOptions.settings).cusum;
  lines.push(`Drift CUSUM: slack ${drift.slack}, limit ${drift.limit}: about ${(cusumRunLength(drift) * report.bucketMs / 86_400_000).toFixed(0)} days between false alarms of one series on normal traffic, ${cusumRunLength(drift, 2.5).toFixed(1)} buckets to catch a rise of 2.5 deviations`);
  for (const retrain of report.retraining) lines.push(`Retrained on day ${retrain.day}: v${retrain.version} ${retrain.status} (${retrain.falseAlarms} held-out alarm(s), ${retrain.allowed.toFixed(2)} allowed)`);
  lines.push(`Clean traffic: ${report.clean.days} days, ${report.clean.falseAlarms} false alarm(s) = ${report.clean.perDay.toFixed(3)} per day, ${report.clean.perWeek.toFixed(2)} per week`);
  for (const incident of report.clean.incidents) lines.push(`  false alarm: ${incident}`);
  lines.push('');
  lines.push('fault               detected  delay   remediation                                   state     service level (pre / before / after)        restored  cleared after end  undone');
  for (const fault of report.faults) {
    const level = fault.serviceLevel;
    lines.push(
      [
        fault.name.padEnd(19),
        String(fault.detected).padEnd(9),
        seconds(fault.detectionDelayMs).padEnd(7),
        (fault.remediation?.action ?? '-').padEnd(45),
        (fault.remediation?.state ?? '-').padEnd(9),
        `${figure(level.preFault)} / ${figure(level.beforeRemediation)} / ${figure(level.afterRemediation)} ${level.unit}`.padEnd(43),
        String(level.restored).padEnd(9),
        seconds(fault.clearedAfterFaultEndMs).padEnd(18),
        String(fault.undone),
      ].join(' '),
    );
    if (fault.detectedBy !== undefined) lines.push(`  raised by: ${fault.detectedBy.join(', ')} (${fault.reason})`);
    if (fault.rootCause !== undefined) lines.push(`  root cause hint: ${fault.rootCause}`);
    for (const other of fault.otherIncidents) lines.push(`  also raised: ${other}`);
  }
  lines.push('');
  lines.push(`Audit records: ${report.audit.records} (${Object.entries(report.audit.actions).map(([action, count]) => `${action} ${count}`).join(', ')})`);
  lines.push(`Targets: detection within 2 min: ${report.targets.detectedWithinTwoMinutes ? 'met' : 'MISSED'}; at most 1 false alarm per week: ${report.targets.atMostOneFalseAlarmPerWeek ? 'met' : 'MISSED'}; remediation restored the service level: ${report.targets.remediationRestored ? 'yes' : 'NO'}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

const faults = option('faults')?.split(',').filter((name): name is FaultName => (faultNames as readonly string[]).includes(name));
const runOptions = {
  trainingDays: option('training-days') === undefined ? undefined : Number(option('training-days')),
  cleanDays: option('clean-days') === undefined ? undefined : Number(option('clean-days')),
  faults,
  ...(option('cusum-limit') === undefined ? {} : { settings: { cusum: { slack: Number(option('cusum-slack') ?? 1.25), limit: Number(option('cusum-limit')), clip: 4 } } }),
  log: (line: string) => process.stderr.write(`${line}\n`),
};

const tuningSeeds = option('seeds');
const heldOutSeeds = option('held-out-seeds');
if (tuningSeeds !== undefined || heldOutSeeds !== undefined) {
  // A sweep: one run per seed, a row each, and the worst case of each group (the held-out seeds are the ones
  // no setting was chosen on).
  const groups = [
    ...(tuningSeeds === undefined ? [] : [{ title: `Seeds ${tuningSeeds}`, seeds: parseSeeds(tuningSeeds) }]),
    ...(heldOutSeeds === undefined ? [] : [{ title: `Held-out seeds ${heldOutSeeds}`, seeds: parseSeeds(heldOutSeeds) }]),
  ];
  const all: SuiteReport[] = [];
  const lines: string[] = [];
  for (const group of groups) {
    const reports: SuiteReport[] = [];
    for (const seed of group.seeds) {
      const report = await runFaultInjectionSuite({ ...runOptions, seed, log: () => {} });
      process.stderr.write(`seed ${seed}: ${metTargets(report) ? 'targets met' : 'target MISSED'}\n`);
      reports.push(report);
    }
    all.push(...reports);
    lines.push(...sweepTable(group.title, reports), '');
  }
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
  else process.stdout.write(`${lines.join('\n')}`);
  process.exitCode = all.every(metTargets) ? 0 : 1;
} else {
  const report = await runFaultInjectionSuite({ ...runOptions, seed: option('seed') === undefined ? undefined : Number(option('seed')) });
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else print(report);
  process.exitCode = metTargets(report) ? 0 : 1;
}
