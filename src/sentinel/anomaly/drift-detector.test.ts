import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../scripts/fault-injection/seeded-random.js';
import { cusumRunLength, DriftDetector, type DriftParameters } from './drift-detector.js';
import { detectorSettings } from './detector-settings.js';

const defaults: DriftParameters = detectorSettings().cusum;

/** Points until the detector first raises on standard normal noise shifted by `shift` (at most `limit` points). */
function pointsUntilRaised(parameters: DriftParameters, random: SeededRandom, shift: number, limit: number): number | undefined {
  const detector = new DriftDetector(parameters);
  for (let point = 1; point <= limit; point += 1) {
    const score = random.normal() + shift;
    if (detector.update(score, 0.06 * score).drifting) return point;
  }
  return undefined;
}

describe('DriftDetector', () => {
  it('stays quiet on a long stretch of stationary noise (a fixed seed)', () => {
    const random = new SeededRandom(1);
    const detector = new DriftDetector(defaults);
    let alarms = 0;
    let drifting = false;
    // 100,000 buckets: about 35 days of one series at 30 s buckets.
    for (let point = 0; point < 100_000; point += 1) {
      const score = random.normal();
      const state = detector.update(score, 0.06 * score);
      if (state.drifting && !drifting) alarms += 1;
      drifting = state.drifting;
    }
    expect(alarms).toBe(0);
  });

  it('detects a sustained shift of 2.5 deviations within 12 points, every time over 200 trials', () => {
    const random = new SeededRandom(2);
    const delays = Array.from({ length: 200 }, () => pointsUntilRaised(defaults, random, 2.5, 50));
    expect(delays.every((delay) => delay !== undefined && delay <= 12)).toBe(true);
    // And on average about as fast as Siegmund's approximation says.
    const mean = delays.reduce((sum: number, delay) => sum + (delay ?? 0), 0) / delays.length;
    expect(mean).toBeGreaterThan(0.8 * cusumRunLength(defaults, 2.5));
    expect(mean).toBeLessThan(1.2 * cusumRunLength(defaults, 2.5));
  });

  it('has the in-control run length the approximation predicts (within 20 %) for a sensitive setting', () => {
    // A setting that raises often, so 300 runs measure its run length in well under a second.
    const sensitive = { slack: 0.5, limit: 3, clip: 100 };
    const random = new SeededRandom(3);
    const runs = Array.from({ length: 300 }, () => pointsUntilRaised(sensitive, random, 0, 100_000) ?? 100_000);
    const mean = runs.reduce((sum, run) => sum + run, 0) / runs.length;
    const predicted = cusumRunLength(sensitive);
    expect(mean).toBeGreaterThan(0.8 * predicted);
    expect(mean).toBeLessThan(1.2 * predicted);
  });

  it('does not raise on one wild bucket (each residual counts at most `clip`)', () => {
    const detector = new DriftDetector(defaults);
    expect(detector.update(40, 2).drifting).toBe(false);
    expect(detector.update(0, 0).drifting).toBe(false);
  });

  it('estimates the size of the shift from the buckets since the statistic left 0, and forgets it on reset', () => {
    const detector = new DriftDetector(defaults);
    detector.update(-3, -0.2);
    const states = [3, 3, 3].map(() => detector.update(3, 0.15));
    expect(states[2].shift).toBeCloseTo(0.15, 10);
    expect(states[2].drifting).toBe(true);
    detector.reset();
    expect(detector.statistic).toBe(0);
    expect(detector.update(0.5, 0.01)).toEqual({ statistic: 0, drifting: false, shift: 0 });
  });
});
