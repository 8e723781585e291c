import { describe, expect, it } from 'vitest';
import type { FaultResult, SuiteReport } from '../../scripts/fault-injection/run-suite.js';
import { metTargets, parseSeeds, sweepTable } from '../../scripts/fault-injection/seed-sweep.js';

function fault(name: FaultResult['name'], delayMs: number | undefined): FaultResult {
  return {
    name,
    description: name,
    injectedAt: '2026-02-03T14:10:17.000Z',
    detected: delayMs !== undefined,
    ...(delayMs === undefined ? {} : { detectionDelayMs: delayMs }),
    serviceLevel: { criterion: '', preFault: 1, beforeRemediation: 1, afterRemediation: 1, restored: true, unit: '' },
    undone: true,
    stillHeld: [],
    otherIncidents: [],
  };
}

function report(seed: number, falseAlarms: number, leakDelayMs: number | undefined): SuiteReport {
  const faults = [fault('latency-regression', 43_000), fault('error-burst', 82_000), fault('runaway-key', 79_000), fault('slow-leak', leakDelayMs)];
  const perWeek = (falseAlarms / 14) * 7;
  return {
    seed,
    bucketMs: 30_000,
    training: { days: 14, seriesCount: 40, validation: { heldOutFrom: 0, heldOutUntil: 1, falseAlarms: 0, allowedFalseAlarms: 0.14, accepted: true } },
    retraining: [],
    clean: { days: 14, falseAlarms, perDay: falseAlarms / 14, perWeek, incidents: [] },
    faults,
    audit: { records: 0, actions: {} },
    targets: { detectedWithinTwoMinutes: faults.every((each) => each.detected && (each.detectionDelayMs ?? Infinity) <= 120_000), atMostOneFalseAlarmPerWeek: perWeek <= 1, remediationRestored: true },
  };
}

describe('fault-injection seed sweep', () => {
  it('reads seed ranges and lists, and refuses anything else', () => {
    expect(parseSeeds('0..3')).toEqual([0, 1, 2, 3]);
    expect(parseSeeds('0..1, 7,42')).toEqual([0, 1, 7, 42]);
    expect(() => parseSeeds('3..1')).toThrow(/backwards/);
    expect(() => parseSeeds('seven')).toThrow(/Not a seed/);
    expect(() => parseSeeds('')).toThrow(/No seeds/);
  });

  it('prints a row per seed and the worst case: the slowest detection of each fault and the most false alarms', () => {
    const reports = [report(0, 0, 91_000), report(1, 3, 241_000), report(2, 1, undefined)];
    expect(reports.map(metTargets)).toEqual([true, false, false]);
    const lines = sweepTable('Seeds 0..2', reports);
    expect(lines[0]).toBe('Seeds 0..2');
    expect(lines).toHaveLength(1 + 1 + 3 + 2);
    expect(lines[2]).toMatch(/^0 +0 \(0\.00\) +43 s +82 s +79 s +91 s +true +met$/);
    expect(lines[4]).toMatch(/^2 +1 \(0\.50\) .* missed +true +MISSED$/);
    const worst = lines[5];
    expect(worst).toMatch(/^worst +3 \(1\.50\) +43 s +82 s +79 s +missed \(2 late\) +true +1\/3 met$/);
    expect(lines[6]).toBe('pooled: 4 false alarm(s) in 42 clean days = 0.67 per week');
  });
});
