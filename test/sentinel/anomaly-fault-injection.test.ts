import { describe, expect, it } from 'vitest';
import { runFaultInjectionSuite, type SuiteReport } from '../../scripts/fault-injection/run-suite.js';

// A shorter run of `npm run fault-injection`: 8 simulated days of history, 1 clean day, then the four faults.
// Everything runs in simulated time, so the delays asserted here are simulated minutes, not the machine's.
describe('anomaly detection and remediation under injected faults', () => {
  let report: SuiteReport;

  it('trains an accepted model and raises nothing on clean traffic', { timeout: 180_000 }, async () => {
    report = await runFaultInjectionSuite({ seed: 20261127, trainingDays: 8, cleanDays: 1 });
    expect(report.training.validation).toMatchObject({ accepted: true, falseAlarms: 0 });
    expect(report.training.seriesCount).toBeGreaterThan(30);
    expect(report.clean.incidents).toEqual([]);
  });

  it('detects every fault, the step faults within two simulated minutes', () => {
    const byName = Object.fromEntries(report.faults.map((fault) => [fault.name, fault]));
    for (const name of ['latency-regression', 'error-burst', 'runaway-key'] as const) {
      expect(byName[name].detected, name).toBe(true);
      expect(byName[name].detectionDelayMs, name).toBeLessThanOrEqual(120_000);
    }
    // The slow leak starts inside the single-bucket band; the CUSUM catches it within minutes.
    expect(byName['slow-leak'].detected).toBe(true);
    expect(byName['slow-leak'].detectionDelayMs).toBeLessThanOrEqual(300_000);
    expect(byName['error-burst'].rootCause).toContain('upstream_unavailable');
    expect(byName['runaway-key'].rootCause).toContain('key-batch');
  });

  it('remediates each fault with the matching action, restores the service level, and undoes everything afterwards', () => {
    const actions = Object.fromEntries(report.faults.map((fault) => [fault.name, fault.remediation?.action.split(' ')[0]]));
    expect(actions).toEqual({ 'latency-regression': 'shift-weight', 'error-burst': 'open-circuit', 'runaway-key': 'throttle-key', 'slow-leak': 'shift-weight' });
    for (const fault of report.faults) {
      expect(fault.serviceLevel.restored, fault.name).toBe(true);
      expect(fault.remediation?.state, fault.name).toBe('undone');
      expect(fault.stillHeld, fault.name).toEqual([]);
    }
    expect(report.audit.actions['anomaly.remediation.apply']).toBeGreaterThanOrEqual(4);
    expect(report.audit.actions['anomaly.remediation.undo']).toBeGreaterThanOrEqual(4);
  });
});
