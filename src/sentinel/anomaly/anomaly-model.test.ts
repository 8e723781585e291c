import { describe, expect, it } from 'vitest';
import { anomalyModelFormat, readStoredModel, trainModel, type AnomalyModel, type BucketedHistory } from './anomaly-model.js';
import { detectorSettings } from './detector-settings.js';
import { flatBaseline } from './seasonal-baseline.js';

const bucketMs = 30_000;
const monday = Date.UTC(2026, 0, 5);
const dayMs = 86_400_000;

/** Two days of a deployment's latency (about 20 requests a bucket) and a key's request count. */
function history(): BucketedHistory {
  const buckets = [];
  for (let time = monday, index = 0; time < monday + 2 * dayMs; time += bucketMs, index += 1) {
    const samples = 10 + (index % 20);
    buckets.push({
      bucketStart: time,
      points: [
        { series: 'latency|deployment|dep_a', bucketStart: time, value: 900 * (1 + 0.3 * Math.sin(index) / Math.sqrt(samples)), samples },
        { series: 'request_rate|key|key_a', bucketStart: time, value: samples, samples },
      ],
    });
  }
  return buckets;
}

describe('anomaly model format', () => {
  it('writes the current format, with per-request spreads for averages only', () => {
    const model = trainModel(history(), detectorSettings(), monday, monday + 2 * dayMs);
    expect(model.format).toBe(anomalyModelFormat);
    const latency = model.series['latency|deployment|dep_a'];
    expect(latency.perRequestScales).toHaveLength(168);
    // The per-request spread is the bucket spread scaled up by the root of the bucket's requests.
    expect(latency.perRequestScales?.[10]).toBeGreaterThan(3 * latency.scales[10]);
    expect(model.series['request_rate|key|key_a'].perRequestScales).toBeUndefined();
  });

  it('reads a format 1 body as it was validated: its own settings kept, settings added since defaulted', () => {
    const { driftMetrics: _added, ...olderSettings } = { ...detectorSettings(), cusum: { slack: 1.25, limit: 5, clip: 4 } };
    const body = { settings: olderSettings, trainedFrom: monday, trainedUntil: monday + dayMs, series: { 'latency|deployment|dep_a': flatBaseline(6.8, 0.06) } } as unknown as AnomalyModel;
    const read = readStoredModel(body, 'amv_old');
    expect(read.format).toBeUndefined();
    expect(read.settings.cusum).toEqual({ slack: 1.25, limit: 5, clip: 4 });
    expect(read.settings.driftMetrics).toEqual(detectorSettings().driftMetrics);
    expect(read.series).toEqual(body.series);
  });

  it('refuses a body of a newer format than it knows, and unreadable settings, with an internal error', () => {
    const model = trainModel(history(), detectorSettings(), monday, monday + 2 * dayMs);
    expect(() => readStoredModel({ ...model, format: anomalyModelFormat + 1 }, 'amv_new')).toThrow(expect.objectContaining({ code: 'internal_error', message: expect.stringContaining('format') }));
    expect(() => readStoredModel({ ...model, settings: { ...model.settings, threshold: -1 } }, 'amv_bad')).toThrow(expect.objectContaining({ code: 'internal_error' }));
  });
});
