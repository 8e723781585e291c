import { describe, expect, it } from 'vitest';
import { trainModel, type BucketedHistory } from './anomaly-model.js';
import { detectorSettings } from './detector-settings.js';
import { SeriesDetector, type BucketVerdict } from './series-detector.js';

const bucketMs = 30_000;
const monday = Date.UTC(2026, 0, 5);
const dayMs = 86_400_000;
const settings = detectorSettings({ bucketMs });
const series = 'latency|deployment|dep_a';

/** A deterministic noise source (so the test never depends on luck). */
function noise(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
}

/** Latency with a daily swing (slower at the afternoon peak) and a weekend lull, plus about 3 % noise. */
function latencyAt(timeMs: number, next: () => number): number {
  const hour = (timeMs % dayMs) / 3_600_000;
  const weekend = new Date(timeMs).getUTCDay() % 6 === 0;
  return (weekend ? 700 : 800) * (1 + 0.3 * Math.exp(-(((hour - 15) / 4) ** 2))) * (1 + 0.1 * next());
}

function history(days: number, next: () => number): BucketedHistory {
  const buckets = [];
  for (let time = monday; time < monday + days * dayMs; time += bucketMs) buckets.push({ bucketStart: time, points: [{ series, bucketStart: time, value: latencyAt(time, next), samples: 50 }] });
  return buckets;
}

function detectorTrainedOnTwoWeeks(): { detector: SeriesDetector; next: () => number; from: number } {
  const next = noise(42);
  const model = trainModel(history(14, next), settings, monday, monday + 14 * dayMs);
  return { detector: new SeriesDetector('latency', settings, model.series[series]), next, from: monday + 14 * dayMs };
}

function run(detector: SeriesDetector, from: number, buckets: number, value: (time: number) => number): BucketVerdict[] {
  const verdicts: BucketVerdict[] = [];
  for (let index = 0; index < buckets; index += 1) {
    const time = from + index * bucketMs;
    const verdict = detector.observe({ series, bucketStart: time, value: value(time), samples: 50 });
    if (verdict !== undefined) verdicts.push(verdict);
  }
  return verdicts;
}

describe('SeriesDetector', () => {
  it('learns the daily and weekly pattern: a normal day (peak and weekend included) raises nothing', () => {
    const { detector, next, from } = detectorTrainedOnTwoWeeks();
    const verdicts = run(detector, from, 2 * 2880, (time) => latencyAt(time, next));
    expect(verdicts.filter((verdict) => verdict.anomalous)).toEqual([]);
    // The band follows the season: wider in absolute terms at the peak than at night.
    const night = verdicts[2 * 120];
    const peak = verdicts[15 * 120];
    expect(peak.baseline).toBeGreaterThan(night.baseline * 1.2);
  });

  it('raises a sustained tripling within two buckets, with the evidence of the band, and clears once it is over', () => {
    const { detector, next, from } = detectorTrainedOnTwoWeeks();
    run(detector, from, 600, (time) => latencyAt(time, next));
    const faultFrom = from + 600 * bucketMs;
    const during = run(detector, faultFrom, 40, (time) => 3 * latencyAt(time, next));
    expect(during.findIndex((verdict) => verdict.anomalous)).toBeLessThanOrEqual(1);
    expect(during[1]).toMatchObject({ out: true, anomalous: true, reason: 'persistence' });
    expect(during[1].value).toBeGreaterThan(during[1].upper);
    expect(during[1].upper).toBeGreaterThan(during[1].baseline);
    expect(during.every((verdict, index) => index < 1 || verdict.anomalous)).toBe(true);
    // The baseline did not learn the fault.
    expect(during[39].baseline).toBeLessThan(during[0].baseline * 1.05);
    const after = run(detector, faultFrom + 40 * bucketMs, 10, (time) => latencyAt(time, next));
    expect(after[after.length - 1].anomalous).toBe(false);
  });

  it('does not raise a single odd bucket (persistence), but raises a small sustained rise (CUSUM drift)', () => {
    const { detector, next, from: mondayAfter } = detectorTrainedOnTwoWeeks();
    // Wednesday mid-morning, away from the weekend's edge.
    const from = mondayAfter + 2 * dayMs + 10 * 3_600_000;
    const spike = run(detector, from, 20, (time) => (time === from + 10 * bucketMs ? 5 : 1) * latencyAt(time, next));
    expect(spike[10].out).toBe(true);
    expect(spike.some((verdict) => verdict.anomalous)).toBe(false);
    // +15 %: inside the single-bucket band, but sustained.
    const drift = run(detector, from + 20 * bucketMs, 30, (time) => 1.15 * latencyAt(time, next));
    const raised = drift.find((verdict) => verdict.anomalous);
    expect(raised?.reason).toBe('drift');
    expect(drift.slice(0, 5).some((verdict) => verdict.out)).toBe(false);
  });

  it('standardises the drift residual by the bucket\'s own requests: a rise over 50 requests weighs more than the same rise over 5', () => {
    const { detector, next, from } = detectorTrainedOnTwoWeeks();
    const time = from + 2 * dayMs + 10 * 3_600_000;
    const value = 1.08 * latencyAt(time, next);
    const thin = detector.observe({ series, bucketStart: time, value, samples: 5 });
    const busy = detector.observe({ series, bucketStart: time + bucketMs, value, samples: 50 });
    expect(thin?.driftScore).toBeGreaterThan(0);
    // (At most the slot's minimum scale apart: the busy bucket's standard error is floored there.)
    expect(busy?.driftScore).toBeGreaterThan(1.5 * (thin?.driftScore ?? 0));
    // The band of a single bucket is the slot's, whatever the count.
    expect(busy?.score).toBeCloseTo(thin?.score ?? 0, 1);
  });

  it('without per-request spreads (a model of format 1) judges drift by the slot\'s spread, as before', () => {
    const next = noise(42);
    const model = trainModel(history(14, next), settings, monday, monday + 14 * dayMs);
    const { perRequestScales: _dropped, ...formatOne } = model.series[series];
    const detector = new SeriesDetector('latency', settings, formatOne);
    const verdict = detector.observe({ series, bucketStart: monday + 16 * dayMs, value: 1.1 * latencyAt(monday + 16 * dayMs, next), samples: 8 });
    expect(verdict?.driftScore).toBe(verdict?.score);
  });

  it('judges error rates as counts: one error in a thin bucket is not an anomaly, a burst is', () => {
    const detector = new SeriesDetector('error_rate', settings);
    const time = (index: number) => monday + index * bucketMs;
    const thin = [1, 0, 1, 0, 0, 1].map((errors, index) => detector.observe({ series: 'error_rate|deployment|dep_a', bucketStart: time(index), value: errors / 8, samples: 8 }));
    expect(thin.some((verdict) => verdict?.anomalous)).toBe(false);
    const burst = [4, 3, 4].map((errors, index) => detector.observe({ series: 'error_rate|deployment|dep_a', bucketStart: time(10 + index), value: errors / 8, samples: 8 }));
    expect(burst.map((verdict) => verdict?.anomalous)).toEqual([false, true, true]);
  });

  it('leaves averages over too few requests unjudged', () => {
    const detector = new SeriesDetector('latency', settings);
    expect(detector.observe({ series, bucketStart: monday, value: 5000, samples: 2 })).toBeUndefined();
  });
});
